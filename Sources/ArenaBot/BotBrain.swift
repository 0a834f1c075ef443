import ArbiterProtocol
import Foundation

/// The decision-making of a bot, from exactly what a client sees: the last Snapshot (own state,
/// visible entities) and the MapInfo. The terminal bot and the server's fill bots both run it,
/// so server-side opponents play by the same rules as remote ones.
///
/// Deterministic for a given seed and sequence of snapshots: its randomness is its own PRNG.
public struct BotBrain: Sendable {
    public enum Behavior: String, Sendable, CaseIterable {
        /// Sends inputs but stands still: load without gameplay.
        case idle
        /// Roams the map, changing direction now and then.
        case wander
        /// Hunts the nearest visible enemy: aims with lead, strafes, fetches health when low.
        case fight
    }

    public let behavior: Behavior
    private var rng: UInt64
    private var seq: UInt32 = 0
    private var heading: Double
    private var headingTicks = 0
    private var strafeSign: Double = 1
    private var lastTarget: (id: UInt32, x: Double, y: Double)?
    private var stuckTicks = 0

    public init(seed: UInt64, behavior: Behavior) {
        self.behavior = behavior
        rng = seed | 1
        heading = 0
        heading = nextUnit() * Double.pi * 2
    }


    /// The Input for the next tick. `ownID` is the bot's player id from Welcome.
    public mutating func decide(snapshot: Snapshot, ownID: UInt32, map: MapInfo?) -> Input {
        seq &+= 1
        var input = Input(seq: seq, moveX: 0, moveY: 0, aim: heading, fire: false, secondary: false)
        let own = snapshot.own
        guard own.alive, behavior != .idle else { return input }
        let speed = (own.vx * own.vx + own.vy * own.vy).squareRoot()

        switch behavior {
        case .idle:
            return input
        case .wander:
            wander(&input, speed: speed)
        case .fight:
            if own.health < 40, let pickup = nearestHealth(snapshot) {
                steer(&input, towardX: pickup.x - own.x, y: pickup.y - own.y)
            } else if let enemy = nearestEnemy(snapshot, ownID: ownID) {
                engage(&input, own: own, enemy: enemy, map: map)
            } else {
                wander(&input, speed: speed)
            }
        }
        // Walls: when pushing but not moving, turn away.
        if (input.moveX != 0 || input.moveY != 0) && speed < 0.2 {
            stuckTicks += 1
            if stuckTicks > 6 {
                heading += Double.pi / 2 + nextUnit() * Double.pi
                headingTicks = 30
                stuckTicks = 0
            }
        } else {
            stuckTicks = 0
        }
        if stuckTicks == 0 && headingTicks > 0 && behavior == .fight {
            headingTicks -= 1
            setMove(&input, angle: heading)
        }
        return input
    }

    private mutating func wander(_ input: inout Input, speed: Double) {
        headingTicks -= 1
        if headingTicks <= 0 {
            heading += (nextUnit() - 0.5) * Double.pi
            headingTicks = 40 + Int(nextUnit() * 80)
        }
        setMove(&input, angle: heading)
        input.aim = normalized(heading)
    }

    private mutating func engage(_ input: inout Input, own: Own, enemy: (id: UInt32, x: Double, y: Double), map: MapInfo?) {
        // Lead: estimate the target's velocity from its last seen position.
        var vx = 0.0, vy = 0.0
        if let last = lastTarget, last.id == enemy.id {
            vx = enemy.x - last.x
            vy = enemy.y - last.y
        }
        lastTarget = enemy
        let dx = enemy.x - own.x, dy = enemy.y - own.y
        let distance = (dx * dx + dy * dy).squareRoot()
        let speed = map.map { Double($0.projectileSpeed) / 256 } ?? 12
        let flight = distance / max(1, speed)
        let aim = atan2(dy + vy * flight, dx + vx * flight)
        input.aim = normalized(aim)
        input.fire = distance < 700
        if nextUnit() < 0.01 { strafeSign = -strafeSign }
        let toward = atan2(dy, dx)
        if distance > 350 {
            setMove(&input, angle: toward + strafeSign * 0.4)
        } else {
            setMove(&input, angle: toward + strafeSign * Double.pi / 2)
        }
    }

    private func steer(_ input: inout Input, towardX dx: Double, y dy: Double) {
        setMove(&input, angle: atan2(dy, dx))
    }

    private func setMove(_ input: inout Input, angle: Double) {
        input.moveX = Int((cos(angle) * 127).rounded())
        input.moveY = Int((sin(angle) * 127).rounded())
    }

    private func normalized(_ angle: Double) -> Double {
        let turn = Double.pi * 2
        let a = angle.truncatingRemainder(dividingBy: turn)
        return a < 0 ? a + turn : a
    }

    private func nearestEnemy(_ snapshot: Snapshot, ownID: UInt32) -> (id: UInt32, x: Double, y: Double)? {
        var best: (id: UInt32, x: Double, y: Double)?
        var bestDistance = Double.infinity
        for entry in snapshot.entities where entry.id != ownID {
            guard case .player(let p) = entry.value, p.alive else { continue }
            let d = (p.x - snapshot.own.x) * (p.x - snapshot.own.x) + (p.y - snapshot.own.y) * (p.y - snapshot.own.y)
            if d < bestDistance {
                bestDistance = d
                best = (entry.id, p.x, p.y)
            }
        }
        return best
    }

    private func nearestHealth(_ snapshot: Snapshot) -> (x: Double, y: Double)? {
        var best: (x: Double, y: Double)?
        var bestDistance = Double.infinity
        for entry in snapshot.entities {
            guard case .pickup(let p) = entry.value, p.available, p.kind == .health else { continue }
            let d = (p.x - snapshot.own.x) * (p.x - snapshot.own.x) + (p.y - snapshot.own.y) * (p.y - snapshot.own.y)
            if d < bestDistance {
                bestDistance = d
                best = (p.x, p.y)
            }
        }
        return best
    }

    /// Uniform in [0, 1), from the bot's own xorshift generator.
    private mutating func nextUnit() -> Double {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        return Double(rng >> 11) / Double(1 << 53)
    }
}
