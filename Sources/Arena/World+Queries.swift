extension World {
    /// Appends to `result` the ids of every entity (ships alive or dead, projectiles, pickups)
    /// whose position lies in the rectangle, from the spatial grid: cost follows what is near,
    /// not what exists. `result` is the caller's reusable buffer; it is not emptied here.
    public func entities(minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, into result: inout [EntityID]) {
        interestGrid.query(minX: minX, minY: minY, maxX: maxX, maxY: maxY, into: &result)
    }

    /// The entities within a view of half-size (halfWidth, halfHeight) subunits around a
    /// player's ship (its own included). Appends nothing for an unknown id.
    public func entities(around id: EntityID, halfWidth: Int32, halfHeight: Int32, into result: inout [EntityID]) {
        guard let i = slots.index(of: id, kind: .player) else { return }
        let (x, y) = (players[i].x, players[i].y)
        entities(minX: x - halfWidth, minY: y - halfHeight, maxX: x + halfWidth, maxY: y + halfHeight, into: &result)
    }

    /// Like the id queries, with each entity's kind and dense index, so a caller can read the
    /// entity without another lookup: `body(id, kind, index)`.
    public func forEachEntity(
        minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, _ body: (EntityID, EntityKind, Int) throws -> Void
    ) rethrows {
        try interestGrid.forEachEntity(minX: minX, minY: minY, maxX: maxX, maxY: maxY, body)
    }

    /// Rebuilt after every step, join and leave. The entry's index packs the kind (top byte)
    /// with the dense index. Players' interest positions are stale by design during a step
    /// (spawn checks read them); nothing else in the step reads this grid.
    mutating func rebuildInterestGrid() {
        interestGrid.removeAll()
        for i in players.indices {
            let tag = Int32(EntityKind.player.rawValue) << 24 | Int32(i)
            interestGrid.insert(id: players[i].id, index: tag, x: players[i].x, y: players[i].y)
        }
        for i in projectiles.indices {
            let tag = Int32(EntityKind.projectile.rawValue) << 24 | Int32(i)
            interestGrid.insert(id: projectiles[i].id, index: tag, x: projectiles[i].x, y: projectiles[i].y)
        }
        for i in pickups.indices {
            let tag = Int32(EntityKind.pickup.rawValue) << 24 | Int32(i)
            interestGrid.insert(id: pickups[i].id, index: tag, x: pickups[i].x, y: pickups[i].y)
        }
        interestGrid.finish()
    }
}

extension SpatialGrid {
    /// `forEach` for the interest grid, whose entries' index packs the kind (top byte) with the
    /// dense index (`rebuildInterestGrid`).
    @inlinable
    func forEachEntity(
        minX: Int32, minY: Int32, maxX: Int32, maxY: Int32, _ body: (EntityID, EntityKind, Int) throws -> Void
    ) rethrows {
        try forEach(minX: minX, minY: minY, maxX: maxX, maxY: maxY) { entry in
            let kind = EntityKind(rawValue: UInt8(truncatingIfNeeded: entry.index >> 24)) ?? .player
            try body(entry.id, kind, Int(entry.index & 0x00FF_FFFF))
        }
    }
}
