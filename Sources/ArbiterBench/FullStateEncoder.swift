import Arena
import Foundation

/// The two baselines Arbiter is compared with: what a plain tutorial server sends every tick,
/// the whole world to every client, once as packed binary and once as JSON. Both are built from
/// the same `World` the Arbiter snapshots come from.
struct FullStateEncoder {
    private(set) var binary: [UInt8] = []
    private let jsonEncoder = JSONEncoder()

    init() {
        binary.reserveCapacity(64 * 1024)
    }

    /// Per entity: id u32, type u8, then float32 positions and a few fields. Players 27 bytes
    /// (x, y, vx, vy, aim, health u8, flags u8), projectiles 25 (x, y, vx, vy, owner u32),
    /// pickups 15 (x, y, kind u8, available u8); a header of tick u32 and count u16.
    /// Names and scores are left out, which favours this baseline.
    mutating func encodeBinary(_ world: World.View) -> Int {
        binary.removeAll(keepingCapacity: true)
        put(world.tick)
        put(UInt16(truncatingIfNeeded: world.players.count + world.projectiles.count + world.pickups.count))
        for p in world.players {
            put(p.id.rawValue); binary.append(0)
            put(Self.units(p.x)); put(Self.units(p.y)); put(Self.units(p.vx)); put(Self.units(p.vy))
            put(Float(Double(p.aim) * 2 * .pi / 65536))
            binary.append(UInt8(clamping: p.health))
            binary.append((p.alive ? 1 : 0) | (p.powered ? 2 : 0))
        }
        for p in world.projectiles {
            let (x, y, vx, vy) = Self.projectileState(p, world: world)
            put(p.id.rawValue); binary.append(1)
            put(x); put(y); put(vx); put(vy)
            put(p.owner.rawValue)
        }
        for p in world.pickups {
            put(p.id.rawValue); binary.append(2)
            put(Self.units(p.x)); put(Self.units(p.y))
            binary.append(p.kind == .health ? 0 : 1)
            binary.append(p.available ? 1 : 0)
        }
        return binary.count
    }

    /// The same state as a JSON text: names and scores included, positions as float32.
    func encodeJSON(_ world: World.View) -> Int {
        let state = JSONState(
            tick: world.tick,
            players: world.players.map {
                JSONState.PlayerState(
                    id: $0.id.rawValue, name: $0.name, x: Self.units($0.x), y: Self.units($0.y), vx: Self.units($0.vx),
                    vy: Self.units($0.vy), aim: Float(Double($0.aim) * 2 * .pi / 65536), health: Int($0.health), alive: $0.alive,
                    powered: $0.powered, score: Int($0.score))
            },
            projectiles: world.projectiles.map {
                (p: Arena.Projectile) -> JSONState.ProjectileState in
                let (x, y, vx, vy) = Self.projectileState(p, world: world)
                return JSONState.ProjectileState(id: p.id.rawValue, owner: p.owner.rawValue, x: x, y: y, vx: vx, vy: vy)
            },
            pickups: world.pickups.map {
                JSONState.PickupState(id: $0.id.rawValue, kind: $0.kind == .health ? "health" : "power", x: Self.units($0.x), y: Self.units($0.y), available: $0.available)
            })
        return (try? jsonEncoder.encode(state).count) ?? 0
    }

    private struct JSONState: Encodable {
        struct PlayerState: Encodable {
            var id: UInt32, name: String, x: Float, y: Float, vx: Float, vy: Float, aim: Float, health: Int, alive: Bool, powered: Bool, score: Int
        }
        struct ProjectileState: Encodable { var id: UInt32, owner: UInt32, x: Float, y: Float, vx: Float, vy: Float }
        struct PickupState: Encodable { var id: UInt32, kind: String, x: Float, y: Float, available: Bool }
        var tick: UInt32
        var players: [PlayerState]
        var projectiles: [ProjectileState]
        var pickups: [PickupState]
    }

    /// Where a projectile is now: the simulation keeps only its spawn point, angle and tick.
    private static func projectileState(_ p: Arena.Projectile, world: World.View) -> (Float, Float, Float, Float) {
        let angle = Double(p.angle) * 2 * .pi / 65536
        let speed = Double(world.tuning.projectileSpeed) / 256
        let age = Double(world.tick &- p.spawnTick)
        let vx = cos(angle) * speed, vy = sin(angle) * speed
        return (Float(Double(p.spawnX) / 256 + vx * age), Float(Double(p.spawnY) / 256 + vy * age), Float(vx), Float(vy))
    }

    private static func units(_ v: Int32) -> Float { Float(Double(v) / 256) }

    private mutating func put(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { binary.append(contentsOf: $0) } }
    private mutating func put(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { binary.append(contentsOf: $0) } }
    private mutating func put(_ v: Float) { put(v.bitPattern) }
}
