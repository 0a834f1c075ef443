/// SplitMix64: the world's only source of randomness. Its one word of state is part of the
/// world state (and its hash), so a replay draws the same numbers.
public struct SeededRandom: Sendable, Hashable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0), by multiply-shift: no modulo bias worth caring about
    /// at game sizes, and no rejection loop whose length depends on the draw.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
