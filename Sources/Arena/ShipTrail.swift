/// Where one ship was at each of the last `length` ticks: what lag compensation judges a
/// shot against. A fixed ring of packed positions, allocated once per player at join and
/// overwritten in place every tick (no allocation per tick).
struct ShipTrail: Sendable, Hashable {
    /// Ticks kept; covers `Tuning.maxLagTicks` at every supported tick rate (200 ms at 128 Hz
    /// is 26 ticks).
    static let length = 32
    /// `x` in the high 32 bits, `y` in the low; `Self.dead` while the ship was dead or absent.
    private var positions = [UInt64](repeating: ShipTrail.dead, count: ShipTrail.length)
    private static let dead = UInt64.max

    /// Records the ship's position (or nil: dead) at the end of `tick`.
    mutating func record(tick: UInt32, x: Int32, y: Int32, alive: Bool) {
        positions[Int(tick % UInt32(Self.length))] =
            alive ? UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y)) : Self.dead
    }

    /// The position recorded for `tick`, which must be within the last `length` ticks; nil
    /// when the ship was dead then (or not yet in the world).
    func position(at tick: UInt32) -> (x: Int32, y: Int32)? {
        let packed = positions[Int(tick % UInt32(Self.length))]
        guard packed != Self.dead else { return nil }
        return (Int32(bitPattern: UInt32(truncatingIfNeeded: packed >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: packed)))
    }
}
