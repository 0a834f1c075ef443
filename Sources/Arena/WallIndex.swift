/// The map's walls bucketed by grid cell (a wall is listed in every cell it touches), so
/// movement and projectiles test only the walls near them. Built once per world.
struct WallIndex: Sendable {
    private let cellShift: Int32 = 16
    private let columns: Int32
    private let rows: Int32
    private let width: Int32
    private let height: Int32
    private var cellStart: [Int32]
    private var cellWalls: [WallRect] = []

    init(map: ArenaMap) {
        width = map.width
        height = map.height
        columns = (map.width >> cellShift) + 1
        rows = (map.height >> cellShift) + 1
        var buckets = Array(repeating: [WallRect](), count: Int(columns * rows))
        for wall in map.walls {
            let x0 = max(0, wall.x >> cellShift), x1 = min(columns - 1, (wall.maxX - 1) >> cellShift)
            let y0 = max(0, wall.y >> cellShift), y1 = min(rows - 1, (wall.maxY - 1) >> cellShift)
            guard x0 <= x1, y0 <= y1 else { continue }
            for cy in y0...y1 {
                for cx in x0...x1 { buckets[Int(cy * columns + cx)].append(wall) }
            }
        }
        cellStart = [0]
        for bucket in buckets {
            cellWalls.append(contentsOf: bucket)
            cellStart.append(Int32(cellWalls.count))
        }
    }

    /// Appends every wall touching a cell of the rectangle to `result` (a wall may appear more
    /// than once; `PlayerMovement` does not mind).
    func collect(minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, into result: inout [WallRect]) {
        let x0 = Int(min(max(minX >> cellShift, 0), columns - 1)), x1 = Int(min(max(maxX >> cellShift, 0), columns - 1))
        var cy = Int(min(max(minY >> cellShift, 0), rows - 1))
        let y1 = Int(min(max(maxY >> cellShift, 0), rows - 1))
        let stride = Int(columns)
        while cy <= y1 {
            var i = Int(cellStart[cy * stride + x0])
            let end = Int(cellStart[cy * stride + x1 + 1])
            while i < end {
                result.append(cellWalls[i])
                i += 1
            }
            cy += 1
        }
    }

    /// Whether a point is outside the map or inside a wall: where projectiles stop.
    func blocks(x: Int32, y: Int32) -> Bool {
        if x < 0 || y < 0 || x >= width || y >= height { return true }
        let c = Int((y >> cellShift) * columns + (x >> cellShift))
        for i in Int(cellStart[c])..<Int(cellStart[c + 1]) where cellWalls[i].contains(x: x, y: y) {
            return true
        }
        return false
    }
}
