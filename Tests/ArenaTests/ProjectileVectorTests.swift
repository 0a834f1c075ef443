import Foundation
import Testing
@testable import Arena

/// The integer trigonometry and projectile velocities the browser mirrors
/// (Clients/web/src/arena/projectile.js), pinned in Protocol/vectors/movement/projectiles/trig.json.
/// Regenerate with `ARBITER_UPDATE_VECTORS=1`.
@Suite struct ProjectileVectorTests {
    static let file = MovementVectorTests.directory.appendingPathComponent("projectiles/trig.json")

    static func rows(speed: Int32) -> [[Int]] {
        var angles = Array(stride(from: 0, to: 65536, by: 97))
        angles += [1, 16383, 16384, 16385, 32767, 32768, 32769, 49151, 49152, 49153, 65535]
        return angles.map { a in
            let angle = UInt16(a)
            let sin = FixedMath.sinQ14(angle), cos = FixedMath.cosQ14(angle)
            let v = World.projectileVelocity(angle: angle, speed: speed)
            return [a, Int(sin), Int(cos), Int(v.vx), Int(v.vy)]
        }
    }

    static func encode() -> String {
        let speed = Tuning(tickRate: 10).projectileSpeed
        let rows = rows(speed: speed).map { "    [" + $0.map(String.init).joined(separator: ", ") + "]" }
        return "{\n  \"description\": \"angle, sinQ14, cosQ14, vx, vy at the given projectile speed (subunits per tick)\",\n"
            + "  \"speed\": \(speed),\n  \"rows\": [\n" + rows.joined(separator: ",\n") + "\n  ]\n}\n"
    }

    @Test func vectorsMatchTheSimulation() throws {
        if ProcessInfo.processInfo.environment["ARBITER_UPDATE_VECTORS"] == "1" {
            try FileManager.default.createDirectory(at: Self.file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Self.encode().write(to: Self.file, atomically: true, encoding: .utf8)
        }
        let stored = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(stored == Self.encode(), "trig.json is stale; regenerate with ARBITER_UPDATE_VECTORS=1")
    }

    @Test func projectilesFlyAtTheirSpawnVelocity() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 500, y: 200)
        world.setInput(PlayerInput(aim: 5000, fire: true), for: a)
        world.step()
        let p = world.projectiles[0]
        #expect(p.spawnTick == world.tick)
        let v = World.projectileVelocity(angle: p.angle, speed: world.tuning.projectileSpeed)
        for age in 1...5 {
            world.setInput(PlayerInput(aim: 5000), for: a)
            world.step()
            guard let now = world.projectile(p.id) else { break }
            #expect(now.x == p.spawnX + v.vx * Int32(age) && now.y == p.spawnY + v.vy * Int32(age))
        }
    }
}
