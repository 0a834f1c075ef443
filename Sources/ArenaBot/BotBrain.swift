import ArbiterProtocol
import Foundation

/// The decision-making of a bot, from exactly what a client sees: the last Snapshot (own state,
/// visible entities) and the MapInfo. The terminal bot and the server's fill bots both run it,
/// so server-side opponents play by the same rules as remote ones.
///
/// Deterministic for a given seed and sequence of snapshots: its randomness is its own PRNG.
/// A decision is only recomputed when a newer snapshot arrives; between snapshots (a client
/// sends an Input every tick, snapshots come every few) the last intentions are repeated, which
/// is all the information there is and keeps a thousand bots cheap.
public struct BotBrain: Sendable {
    public enum Behavior: String, Sendable, CaseIterable {
        /// Sends inputs but stands still: load without gameplay.
        case idle
        /// Roams the map, changing direction now and then.
        case wander
        /// Hunts the nearest visible enemy: aims with lead, strafes, fetches health when low.
        case fight
    }

    /// Below this health a fighter goes for a visible health pickup first.
    public static let lowHealth = 40

    public let behavior: Behavior
    var rng: UInt64
    var seq: UInt32 = 0
    var heading: Double
    var headingTicks = 0
    var strafeSign: Double = 1
    var strafeTicks = 0
    /// The tracked target's last seen position and smoothed velocity (units per tick).
    var track: (id: UInt32, x: Double, y: Double, tick: UInt32, vx: Double, vy: Double)?
    var stuckTicks = 0
    var lastTick: UInt32?
    var last = Input(seq: 0, moveX: 0, moveY: 0, aim: 0, fire: false, secondary: false)
    /// Which way the steering prefers to turn around an obstacle; kept while blocked so the bot
    /// does not dither between two equally good sides.
    var avoidSign: Double = 1

    public init(seed: UInt64, behavior: Behavior) {
        self.behavior = behavior
        rng = seed | 1
        heading = 0
        heading = nextUnit() * Double.pi * 2
    }

    /// The Input for the next tick. `ownID` is the bot's player id from Welcome.
    public mutating func decide(snapshot: Snapshot, ownID: UInt32, map: MapInfo?) -> Input {
        seq &+= 1
        if lastTick == snapshot.tick {
            last.seq = seq
            return last
        }
        let ticks = lastTick.map { min(60, max(1, Int(snapshot.tick &- $0))) } ?? 1
        lastTick = snapshot.tick
        var input = Input(seq: seq, moveX: 0, moveY: 0, aim: Self.normalized(heading), fire: false, secondary: false)
        let own = snapshot.own
        guard own.alive, behavior != .idle else {
            last = input
            return input
        }
        let speed = (own.vx * own.vx + own.vy * own.vy).squareRoot()
        var moveAngle: Double?
        switch behavior {
        case .idle:
            break
        case .wander:
            moveAngle = wander(ticks: ticks)
            input.aim = Self.normalized(heading)
        case .fight:
            let enemy = nearestEnemy(snapshot, ownID: ownID, map: map)
            if own.health < Self.lowHealth, let pickup = nearestHealth(snapshot) {
                moveAngle = atan2(pickup.y - own.y, pickup.x - own.x)
                if let enemy { aim(&input, own: own, enemy: enemy, tick: snapshot.tick, map: map, ticks: ticks) }
            } else if let enemy {
                moveAngle = engage(&input, own: own, enemy: enemy, tick: snapshot.tick, map: map, ticks: ticks)
            } else {
                track = nil
                moveAngle = wander(ticks: ticks)
                input.aim = Self.normalized(heading)
            }
        }
        if var angle = moveAngle {
            // Pushing but not moving: a corner the look-ahead missed; pick a new heading.
            if speed < 0.2 {
                stuckTicks += ticks
                if stuckTicks > 12 {
                    heading += Double.pi / 2 + nextUnit() * Double.pi
                    headingTicks = 30
                    stuckTicks = 0
                    avoidSign = -avoidSign
                }
            } else {
                stuckTicks = 0
            }
            if let map { angle = steer(from: own.x, own.y, toward: angle, map: map) }
            Self.setMove(&input, angle: angle)
        }
        last = input
        return input
    }

    mutating func wander(ticks: Int) -> Double {
        headingTicks -= ticks
        if headingTicks <= 0 {
            heading += (nextUnit() - 0.5) * Double.pi
            headingTicks = 40 + Int(nextUnit() * 80)
        }
        return heading
    }

    /// Aims (with lead) and fires at `enemy`, and returns the direction to move: closer while
    /// far, circling at fighting distance, the circling side changing now and then.
    mutating func engage(
        _ input: inout Input, own: Own, enemy: (id: UInt32, x: Double, y: Double), tick: UInt32, map: MapInfo?, ticks: Int
    ) -> Double {
        aim(&input, own: own, enemy: enemy, tick: tick, map: map, ticks: ticks)
        strafeTicks -= ticks
        if strafeTicks <= 0 {
            strafeSign = nextUnit() < 0.5 ? -1 : 1
            strafeTicks = 30 + Int(nextUnit() * 90)
        }
        let dx = enemy.x - own.x, dy = enemy.y - own.y
        let distance = (dx * dx + dy * dy).squareRoot()
        let toward = atan2(dy, dx)
        if distance > 380 { return toward + strafeSign * 0.35 }
        if distance < 160 { return toward + Double.pi - strafeSign * 0.6 }
        return toward + strafeSign * Double.pi / 2
    }

    /// Leads the target: solves for the flight time to where it will be at its current
    /// velocity (a few fixed-point iterations converge well below the projectile's speed), and
    /// fires when it is in range and no wall is in the way.
    mutating func aim(
        _ input: inout Input, own: Own, enemy: (id: UInt32, x: Double, y: Double), tick: UInt32, map: MapInfo?, ticks: Int
    ) {
        var vx = 0.0, vy = 0.0
        if let previous = track, previous.id == enemy.id, tick != previous.tick {
            let dt = Double(tick &- previous.tick)
            let sx = (enemy.x - previous.x) / dt, sy = (enemy.y - previous.y) / dt
            // A jump (respawn, teleport) is not a velocity.
            if abs(sx) < 32 && abs(sy) < 32 {
                // The first measurement stands alone; later ones are smoothed against jitter.
                let first = previous.vx == 0 && previous.vy == 0
                vx = first ? sx : previous.vx * 0.4 + sx * 0.6
                vy = first ? sy : previous.vy * 0.4 + sy * 0.6
            }
        }
        track = (enemy.id, enemy.x, enemy.y, tick, vx, vy)
        let projectileSpeed = map.map { max(1, Double($0.projectileSpeed) / 256) } ?? 15
        let range = map.map { Double($0.projectileSpeed) / 256 * Double($0.projectileLifetime) } ?? 1000
        var tx = enemy.x, ty = enemy.y
        for _ in 0..<3 {
            let flight = ((tx - own.x) * (tx - own.x) + (ty - own.y) * (ty - own.y)).squareRoot() / projectileSpeed
            tx = enemy.x + vx * flight
            ty = enemy.y + vy * flight
        }
        input.aim = Self.normalized(atan2(ty - own.y, tx - own.x))
        let distance = ((enemy.x - own.x) * (enemy.x - own.x) + (enemy.y - own.y) * (enemy.y - own.y)).squareRoot()
        let clear = map.map { BotGeometry.lineOfSight(own.x, own.y, enemy.x, enemy.y, walls: $0.walls) } ?? true
        input.fire = clear && distance < range * 0.9
    }

    /// The free direction closest to `angle`: casts the ship's box ahead along candidate
    /// directions, alternating sides by growing angles, first on the side that worked last.
    mutating func steer(from x: Double, _ y: Double, toward angle: Double, map: MapInfo) -> Double {
        let radius = Double(map.tuning.radius) / 256 + 4
        let lookahead = 70.0
        if !BotGeometry.blocked(x, y, angle: angle, distance: lookahead, radius: radius, map: map) { return angle }
        for step in 1...12 {
            // Odd tries on the preferred side, even ones on the other.
            let side = step % 2 == 1 ? avoidSign : -avoidSign
            let candidate = angle + side * Double((step + 1) / 2) * Double.pi / 8
            if !BotGeometry.blocked(x, y, angle: candidate, distance: lookahead, radius: radius, map: map) {
                avoidSign = side
                return candidate
            }
        }
        return angle + Double.pi
    }

    static func setMove(_ input: inout Input, angle: Double) {
        input.moveX = Input.Limits.moveX.clamp(Int((cos(angle) * Double(Input.Limits.moveX.upperBound)).rounded()))
        input.moveY = Input.Limits.moveY.clamp(Int((sin(angle) * Double(Input.Limits.moveY.upperBound)).rounded()))
    }

    static func normalized(_ angle: Double) -> Double {
        let turn = Double.pi * 2
        let a = angle.truncatingRemainder(dividingBy: turn)
        let r = a < 0 ? a + turn : a
        return r >= turn ? 0 : r
    }

    /// The nearest living enemy, preferring one in line of sight.
    func nearestEnemy(_ snapshot: Snapshot, ownID: UInt32, map: MapInfo?) -> (id: UInt32, x: Double, y: Double)? {
        var best: (id: UInt32, x: Double, y: Double)?
        var bestScore = Double.infinity
        let own = snapshot.own
        for entry in snapshot.entities where entry.id != ownID {
            guard case .player(let p) = entry.value, p.alive else { continue }
            var d = (p.x - own.x) * (p.x - own.x) + (p.y - own.y) * (p.y - own.y)
            if d >= bestScore { continue }
            if let map, !BotGeometry.lineOfSight(own.x, own.y, p.x, p.y, walls: map.walls) { d *= 4 }
            if d < bestScore {
                bestScore = d
                best = (entry.id, p.x, p.y)
            }
        }
        return best
    }

    func nearestHealth(_ snapshot: Snapshot) -> (x: Double, y: Double)? {
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
    mutating func nextUnit() -> Double {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        return Double(rng >> 11) / Double(1 << 53)
    }
}
