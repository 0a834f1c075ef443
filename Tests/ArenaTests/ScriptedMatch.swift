@testable import Arena

/// A deterministic script of players for determinism and replay tests: inputs come from a
/// per-player LCG (not the world's generator), some ticks drop inputs, players join and leave.
struct ScriptedMatch {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt32 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt32(truncatingIfNeeded: state >> 33)
    }

    /// The input a scripted player sends this tick, or nil when it "did not arrive". Players
    /// fire in bursts (one tick span in four), like people do, which also keeps debug runs quick.
    mutating func input(tick: Int = 0) -> PlayerInput? {
        let r = next()
        if r % 23 == 0 { return nil }
        return PlayerInput(
            moveX: Int8(truncatingIfNeeded: Int(r % 255) - 127),
            moveY: Int8(truncatingIfNeeded: Int((r >> 8) % 255) - 127),
            aim: UInt16(truncatingIfNeeded: r >> 12),
            fire: (tick / 128) % 4 == 0 && (r >> 28) & 3 != 0,
            secondary: (r >> 30) == 3)
    }
}
