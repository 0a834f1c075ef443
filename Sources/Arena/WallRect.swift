/// An axis-aligned rectangle in subunits: a wall, a view area, a map's bounds.
/// Edges are half-open for overlap tests: two rectangles that only touch do not overlap, so a
/// ship snapped against a wall face can slide along it.
public struct WallRect: Sendable, Hashable {
    public var x: Int32
    public var y: Int32
    public var w: Int32
    public var h: Int32

    public init(x: Int32, y: Int32, w: Int32, h: Int32) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
    }

    public var maxX: Int32 { x + w }
    public var maxY: Int32 { y + h }

    /// Whether a point lies inside (edges included on the low side only).
    @inlinable
    public func contains(x px: Int32, y py: Int32) -> Bool {
        px >= x && px < x + w && py >= y && py < y + h
    }

    /// Whether the open interiors of this rectangle and a box centred at (cx, cy) overlap.
    @inlinable
    public func overlaps(centerX cx: Int32, centerY cy: Int32, halfSize r: Int32) -> Bool {
        cx + r > x && cx - r < x + w && cy + r > y && cy - r < y + h
    }
}
