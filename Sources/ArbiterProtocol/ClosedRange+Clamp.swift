/// Clamping into a generated `Limits` range (Protocol/README.md, 3.1 "Generated limits"): how a
/// sender fits an integer to an `int(MIN..MAX)` field instead of making encoding throw.
extension ClosedRange where Bound: FixedWidthInteger {
    /// `value` if the range holds it, otherwise the nearer end. Any integer type: `Int32` game
    /// state, or a `UInt64` past `Bound.max`, converts without trapping.
    @inlinable public func clamp(_ value: some BinaryInteger) -> Bound {
        if value < lowerBound { return lowerBound }
        if value > upperBound { return upperBound }
        return Bound(truncatingIfNeeded: value)
    }
}
