/// A uniform grid over the map for "what is near here" questions: interest management
/// (entities in a player's view), projectile hits and ship-ship contacts.
///
/// It is rebuilt from scratch each tick by a counting sort into flat arrays (no per-cell
/// arrays), which keeps the cell contents in insertion order — so iteration order, and thus the
/// simulation, is deterministic — and allocates nothing once the arrays reached their size.
public struct SpatialGrid: Sendable {
    /// One indexed point: the entity, the caller's index for it (e.g. into a dense array), and
    /// its position in subunits.
    public struct Entry: Sendable, Hashable {
        public var id: EntityID
        public var index: Int32
        public var x: Int32
        public var y: Int32
    }

    public let cellShift: Int32
    public let columns: Int32
    public let rows: Int32
    @usableFromInline var cellStart: [Int32]
    public private(set) var entries: [Entry] = []
    private var staged: [Entry] = []
    private var stagedCell: [Int32] = []

    /// - Parameter cellShift: log2 of the cell side in subunits (16 = 256 units).
    public init(width: Int32, height: Int32, cellShift: Int32 = 16) {
        self.cellShift = cellShift
        columns = max(1, (width >> cellShift) + 1)
        rows = max(1, (height >> cellShift) + 1)
        cellStart = Array(repeating: 0, count: Int(columns * rows) + 1)
    }

    @inline(__always)
    private func cell(x: Int32, y: Int32) -> Int32 {
        let cx = min(max(x >> cellShift, 0), columns - 1)
        let cy = min(max(y >> cellShift, 0), rows - 1)
        return cy * columns + cx
    }

    /// Starts a rebuild; follow with `insert` for every point, then `finish`.
    public mutating func removeAll() {
        staged.removeAll(keepingCapacity: true)
        stagedCell.removeAll(keepingCapacity: true)
    }

    public mutating func insert(id: EntityID, index: Int32, x: Int32, y: Int32) {
        staged.append(Entry(id: id, index: index, x: x, y: y))
        stagedCell.append(cell(x: x, y: y))
    }

    /// Sorts the staged points into cells, keeping insertion order within each cell.
    public mutating func finish() {
        for i in cellStart.indices { cellStart[i] = 0 }
        for c in stagedCell { cellStart[Int(c) + 1] += 1 }
        for i in 1..<cellStart.count { cellStart[i] += cellStart[i - 1] }
        if entries.count != staged.count {
            entries.removeAll(keepingCapacity: true)
            entries.append(contentsOf: staged)
        }
        // cellStart[c] serves as the insertion cursor of cell c, then is restored.
        staged.withUnsafeBufferPointer { staged in
            stagedCell.withUnsafeBufferPointer { cells in
                entries.withUnsafeMutableBufferPointer { out in
                    for i in 0..<staged.count {
                        let c = Int(cells[i])
                        out[Int(cellStart[c])] = staged[i]
                        cellStart[c] += 1
                    }
                }
            }
        }
        for c in stride(from: cellStart.count - 1, to: 0, by: -1) { cellStart[c] = cellStart[c - 1] }
        cellStart[0] = 0
    }

    /// Calls `body` for every point inside the rectangle [minX, maxX] × [minY, maxY], cell by
    /// cell (row-major), in insertion order within a cell.
    @inlinable
    public func forEach(minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, _ body: (Entry) throws -> Void) rethrows {
        guard minX <= maxX, minY <= maxY else { return }
        let x0 = column(minX), x1 = column(maxX)
        var cy = row(minY)
        let y1 = row(maxY)
        while cy <= y1 {
            var i = Int(cellStart[cy * columnCount + x0])
            let end = Int(cellStart[cy * columnCount + x1 + 1])
            while i < end {
                let entry = entries[i]
                if entry.x >= minX && entry.x <= maxX && entry.y >= minY && entry.y <= maxY { try body(entry) }
                i += 1
            }
            cy += 1
        }
    }

    /// Appends the caller's indices of the points in the cells the rectangle touches (a
    /// superset of the points inside it; callers test exactly), skipping `excluded`. Plain
    /// loops, no closure or range types, so the simulation's hot path stays cheap in debug too.
    func collectIndices(minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, excluding excluded: EntityID = .none,
                        into result: inout [Int32]) {
        guard minX <= maxX, minY <= maxY else { return }
        let x0 = column(minX), x1 = column(maxX)
        var cy = row(minY)
        let y1 = row(maxY)
        while cy <= y1 {
            // Cells of a row are contiguous in `entries`, so one range covers cells x0...x1.
            var i = Int(cellStart[cy * columnCount + x0])
            let end = Int(cellStart[cy * columnCount + x1 + 1])
            while i < end {
                if entries[i].id != excluded { result.append(entries[i].index) }
                i += 1
            }
            cy += 1
        }
    }

    @usableFromInline func column(_ x: Int32) -> Int { Int(min(max(x >> cellShift, 0), columns - 1)) }
    @usableFromInline func row(_ y: Int32) -> Int { Int(min(max(y >> cellShift, 0), rows - 1)) }
    @usableFromInline var columnCount: Int { Int(columns) }

    /// Appends the ids of the points inside the rectangle to a caller-owned array (which the
    /// caller empties and reuses, so a query allocates nothing in steady state).
    public func query(minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, into result: inout [EntityID]) {
        forEach(minX: minX, minY: minY, maxX: maxX, maxY: maxY) { result.append($0.id) }
    }
}
