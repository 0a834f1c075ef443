import Foundation

/// How a lean load bot moves without looking at the world (it does not decode snapshots): it
/// heads one way for one to two seconds, then turns; its aim sweeps round at its own speed, and
/// it fires one tick in three so projectiles fly as in a real fight. Deterministic from the seed.
struct WanderSteering {
    private var rng: UInt64
    private(set) var moveX = 0
    private(set) var moveY = 0
    private(set) var aim: UInt16
    private let aimStep: UInt16
    private let firePhase: UInt32
    private var ticksToTurn = 0
    private var tick: UInt32 = 0

    /// Unit directions at 127, every 22.5°: turning needs no trigonometry per tick.
    private static let directions: [(Int, Int)] = (0..<16).map { i in
        let angle = Double(i) * .pi / 8
        return (Int((127 * cos(angle)).rounded()), Int((127 * sin(angle)).rounded()))
    }

    init(seed: UInt64, bot: Int) {
        rng = seed ^ (UInt64(bot) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        _ = Self.next(&rng)
        aim = UInt16(truncatingIfNeeded: Self.next(&rng))
        let step = UInt16(200 + Self.next(&rng) % 700)
        aimStep = Self.next(&rng) & 1 == 0 ? step : 0 &- step
        firePhase = UInt32(truncatingIfNeeded: Self.next(&rng) % 3)
    }

    /// Advances one tick; read `moveX`, `moveY`, `aim` and `fire` afterwards.
    mutating func step(tickRate: Int) {
        tick &+= 1
        aim &+= aimStep
        ticksToTurn -= 1
        if ticksToTurn <= 0 {
            let r = Self.next(&rng)
            // Now and then stand still, as players do.
            if r % 8 == 0 {
                (moveX, moveY) = (0, 0)
            } else {
                (moveX, moveY) = Self.directions[Int((r >> 8) % 16)]
            }
            ticksToTurn = tickRate + Int((r >> 16) % UInt64(max(1, tickRate)))
        }
    }

    var fire: Bool { (tick &+ firePhase) % 3 == 0 }

    /// SplitMix64.
    private static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
