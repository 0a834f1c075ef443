import ArbiterProtocol
import Foundation

/// Segment and box tests against the map's walls, in world units, for steering and for
/// holding fire when a wall is in the way.
public enum BotGeometry {
    /// True when the segment from (x0, y0) to (x1, y1) crosses no wall (slab test per rect).
    public static func lineOfSight(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, walls: [Rect]) -> Bool {
        for wall in walls where segmentHits(x0, y0, x1, y1, wall, grow: 0) { return false }
        return true
    }

    /// True when a box of half-size `radius` moving `distance` along `angle` would touch a wall
    /// or leave the map.
    public static func blocked(_ x: Double, _ y: Double, angle: Double, distance: Double, radius: Double, map: MapInfo) -> Bool {
        let x1 = x + cos(angle) * distance, y1 = y + sin(angle) * distance
        if x1 < radius || y1 < radius || x1 > map.width - radius || y1 > map.height - radius { return true }
        for wall in map.walls where segmentHits(x, y, x1, y1, wall, grow: radius) { return true }
        return false
    }

    static func segmentHits(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ r: Rect, grow: Double) -> Bool {
        let minX = r.x - grow, maxX = r.x + r.w + grow, minY = r.y - grow, maxY = r.y + r.h + grow
        var t0 = 0.0, t1 = 1.0
        let dx = x1 - x0, dy = y1 - y0
        return clip(-dx, x0 - minX, &t0, &t1) && clip(dx, maxX - x0, &t0, &t1)
            && clip(-dy, y0 - minY, &t0, &t1) && clip(dy, maxY - y0, &t0, &t1)
    }

    /// One Liang-Barsky slab: narrows [t0, t1]; false when it becomes empty.
    private static func clip(_ p: Double, _ q: Double, _ t0: inout Double, _ t1: inout Double) -> Bool {
        if p == 0 { return q >= 0 }
        let t = q / p
        if p < 0 {
            if t > t1 { return false }
            if t > t0 { t0 = t }
        } else {
            if t < t0 { return false }
            if t < t1 { t1 = t }
        }
        return true
    }
}
