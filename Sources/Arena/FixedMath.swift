/// Integer helpers shared by the simulation. Everything here is exact integer math, so the
/// server, a replay and the browser's mirror (Clients/web/src/arena/movement.js) agree bit for bit.
public enum FixedMath {
    /// Subunits per world unit: positions are Int32 in 1/256 unit.
    public static let subunitsPerUnit: Int32 = 256

    /// Floor of the square root of a non-negative value (0 for negatives).
    @inlinable
    public static func isqrt(_ value: Int64) -> Int64 {
        if value <= 0 { return 0 }
        // Start from the floating-point estimate, then correct: the result is the exact floor
        // whatever rounding the estimate had, so any correct isqrt gives the same number.
        var r = Int64(Double(value).squareRoot())
        while r * r > value { r -= 1 }
        while (r + 1) * (r + 1) <= value { r += 1 }
        return r
    }

    /// Sine of a binary angle (65536 per turn) in Q14 (16384 = 1.0), from a fifth-order
    /// polynomial in integer math: libm's `sin` may differ across platforms, this does not.
    /// Exact at multiples of a quarter turn, within about 3/16384 elsewhere.
    @inlinable
    public static func sinQ14(_ angle: UInt16) -> Int32 {
        let quadrant = angle >> 14
        let within = Int64(angle & 0x3FFF)
        let x = (quadrant & 1) == 0 ? within : 16384 - within
        // S(x) = x * (A - x² * (B - C * x²)), A = π/2, B = 2A - 5/2, C = A - 3/2 (all Q14).
        let a: Int64 = 25736, b: Int64 = 2 * 25736 - 40960, c: Int64 = 25736 - 24576
        let x2 = (x * x) >> 14
        let s = (x * (a - ((x2 * (b - ((c * x2) >> 14))) >> 14))) >> 14
        return Int32(quadrant >= 2 ? -s : s)
    }

    /// Cosine of a binary angle in Q14.
    @inlinable
    public static func cosQ14(_ angle: UInt16) -> Int32 {
        sinQ14(angle &+ 16384)
    }

    /// Converts a non-negative count of milliseconds to ticks at `tickRate`, rounding up and
    /// never below one tick, so a timer never vanishes at a low tick rate.
    @inlinable
    public static func ticks(milliseconds: Int, tickRate: Int) -> Int32 {
        Int32(max(1, (milliseconds * tickRate + 999) / 1000))
    }
}
