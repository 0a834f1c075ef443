/// Where every ship was at each of the last `length` ticks: what lag compensation judges a shot
/// against. One flat ring of packed positions for the whole world, `length` words per player in
/// the players' dense order, overwritten in place every tick. Flat on purpose: a published frame
/// keeps a copy of the world, so the next tick's write copies this buffer once, where an array
/// per ship was one allocation per ship per tick.
struct ShipTrails: Sendable, Hashable {
    /// Ticks kept; covers `Tuning.maxLagTicks` at every supported tick rate (200 ms at 128 Hz
    /// is 26 ticks).
    static let length = 32
    /// `x` in the high 32 bits, `y` in the low; `dead` while the ship was dead or absent.
    private var positions: [UInt64] = []
    private static let dead = UInt64.max

    /// A player joined at the end of the dense order: no position yet.
    mutating func appendPlayer() {
        positions.append(contentsOf: repeatElement(Self.dead, count: Self.length))
    }

    /// The player at dense index `i` left; later players move down by one.
    mutating func removePlayer(at i: Int) {
        positions.removeSubrange(i * Self.length..<(i + 1) * Self.length)
    }

    /// Records player `i`'s position (or that it is dead) at the end of `tick`.
    mutating func record(player i: Int, tick: UInt32, x: Int32, y: Int32, alive: Bool) {
        positions[i * Self.length + Int(tick % UInt32(Self.length))] =
            alive ? UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y)) : Self.dead
    }

    /// Player `i`'s position at `tick`, which must be within the last `length` ticks; nil when
    /// the ship was dead then (or not yet in the world).
    func position(player i: Int, at tick: UInt32) -> (x: Int32, y: Int32)? {
        let packed = positions[i * Self.length + Int(tick % UInt32(Self.length))]
        guard packed != Self.dead else { return nil }
        return (Int32(bitPattern: UInt32(truncatingIfNeeded: packed >> 32)), Int32(bitPattern: UInt32(truncatingIfNeeded: packed)))
    }

    /// Every stored word, for the state hash.
    var words: [UInt64] { positions }
}
