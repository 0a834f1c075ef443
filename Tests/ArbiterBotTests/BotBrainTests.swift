import ArbiterProtocol
import Foundation
import Testing

@testable import ArenaBot

@Suite("BotBrain plays from what it sees")
struct BotBrainTests {
    /// 900 units/s at 60 Hz, as the server's tuning.
    static let map = MapInfo(
        name: "test", width: 1600, height: 1200, tuning: MoveTuning(accel: 200, friction: 200, maxSpeed: 1536, radius: 14 * 256),
        projectileSpeed: 15 * 256, projectileLifetime: 72, walls: [])

    static func snapshot(tick: UInt32, own: Own, players: [(UInt32, Double, Double)], pickups: [(UInt32, PickupKind, Double, Double)] = []) -> Snapshot {
        var entities = players.map { WorldEntityEntry(id: $0.0, value: .player(Player(name: "p", x: $0.1, y: $0.2, health: 100, alive: true))) }
        entities += pickups.map { WorldEntityEntry(id: $0.0, value: .pickup(Pickup(kind: $0.1, x: $0.2, y: $0.3, available: true))) }
        return Snapshot(tick: tick, own: own, entities: entities)
    }

    static let own = Own(x: 100, y: 100, vx: 1, vy: 0, health: 100, alive: true)

    @Test("leads a moving target: a shot at the chosen angle meets it")
    func leadsTarget() {
        var brain = BotBrain(seed: 7, behavior: .fight)
        _ = brain.decide(snapshot: Self.snapshot(tick: 10, own: Self.own, players: [(1, 100, 100), (2, 400, 100)]), ownID: 1, map: Self.map)
        let input = brain.decide(snapshot: Self.snapshot(tick: 12, own: Self.own, players: [(1, 100, 100), (2, 400, 104)]), ownID: 1, map: Self.map)
        #expect(input.fire)
        // The target moves 2 units per tick down; the shot flies 15 per tick from the bot.
        var closest = Double.infinity
        for step in 0...60 {
            let t = Double(step)
            let shotX = 100 + cos(input.aim) * 15 * t, shotY = 100 + sin(input.aim) * 15 * t
            let targetX = 400.0, targetY = 104 + 2 * t
            closest = min(closest, ((shotX - targetX) * (shotX - targetX) + (shotY - targetY) * (shotY - targetY)).squareRoot())
        }
        #expect(closest < 8, "closest approach \(closest)")
        // Aiming straight at it would miss by far more.
        #expect(abs(input.aim - atan2(4, 300)) > 0.05)
    }

    @Test("holds fire through a wall, fires with a clear line")
    func lineOfSight() {
        var walled = Self.map
        walled.walls = [Rect(x: 240, y: 40, w: 20, h: 120)]
        var brain = BotBrain(seed: 1, behavior: .fight)
        let snap = Self.snapshot(tick: 5, own: Self.own, players: [(1, 100, 100), (2, 400, 100)])
        #expect(brain.decide(snapshot: snap, ownID: 1, map: walled).fire == false)
        var open = BotBrain(seed: 1, behavior: .fight)
        #expect(open.decide(snapshot: snap, ownID: 1, map: Self.map).fire == true)
    }

    @Test("steers around a wall in the way")
    func steersAroundWall() {
        var map = Self.map
        map.walls = [Rect(x: 130, y: 20, w: 40, h: 160)]
        var brain = BotBrain(seed: 3, behavior: .fight)
        let angle = brain.steer(from: 100, 100, toward: 0, map: map)
        let radius = Double(map.tuning.radius) / 256
        #expect(BotGeometry.blocked(100, 100, angle: 0, distance: 70, radius: radius, map: map))
        #expect(!BotGeometry.blocked(100, 100, angle: angle, distance: 70, radius: radius, map: map))
        #expect(abs(angle) <= Double.pi / 2 + 1e-9, "still heading roughly the same way: \(angle)")
    }

    @Test("keeps off the map edge")
    func avoidsEdge() {
        var brain = BotBrain(seed: 3, behavior: .wander)
        let angle = brain.steer(from: 20, 600, toward: Double.pi, map: Self.map)
        #expect(cos(angle) > -0.5)
    }

    @Test("fetches health when low, still aiming at the enemy")
    func fetchesHealth() {
        var brain = BotBrain(seed: 5, behavior: .fight)
        var own = Self.own
        own.health = 30
        let snap = Self.snapshot(tick: 3, own: own, players: [(1, 100, 100), (2, 400, 100)], pickups: [(9, .health, 100, 400)])
        let input = brain.decide(snapshot: snap, ownID: 1, map: Self.map)
        #expect(input.moveY > 100 && abs(input.moveX) < 30, "toward the pickup below: \(input.moveX), \(input.moveY)")
        #expect(abs(input.aim) < 0.1 || abs(input.aim - 2 * Double.pi) < 0.1, "aims right at the enemy: \(input.aim)")
        own.health = 90
        var healthy = BotBrain(seed: 5, behavior: .fight)
        let far = Self.snapshot(tick: 3, own: own, players: [(1, 100, 100), (2, 800, 100)], pickups: [(9, .health, 100, 400)])
        let fighting = healthy.decide(snapshot: far, ownID: 1, map: Self.map)
        #expect(fighting.moveX > 100, "healthy: closes in on the distant enemy: \(fighting.moveX), \(fighting.moveY)")
    }

    @Test("same seed and snapshots, same inputs; idle stands still")
    func deterministic() {
        var a = BotBrain(seed: 11, behavior: .wander), b = BotBrain(seed: 11, behavior: .wander)
        var idle = BotBrain(seed: 11, behavior: .idle)
        for tick in 1...200 as ClosedRange<UInt32> {
            let snap = Self.snapshot(tick: tick, own: Own(x: 800, y: 600, vx: 2, vy: 0, health: 100, alive: true), players: [])
            #expect(a.decide(snapshot: snap, ownID: 1, map: Self.map) == b.decide(snapshot: snap, ownID: 1, map: Self.map))
            let still = idle.decide(snapshot: snap, ownID: 1, map: Self.map)
            #expect(still.moveX == 0 && still.moveY == 0 && !still.fire)
        }
    }
}
