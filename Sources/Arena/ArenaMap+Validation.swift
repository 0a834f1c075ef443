extension ArenaMap {
    /// Largest map side: positions must fit the wire's Coord (0...8191.996 units).
    public static let maxSize: Int32 = 8191 * 256
    public static let minSize: Int32 = 64 * 256
    /// The wire's `MapInfo.walls` holds at most 1024 rectangles.
    public static let maxWalls = 1024
    /// Walls at least this thick stop every projectile (see `Tuning.maxProjectileStep`).
    public static let minWallThickness: Int32 = Tuning.maxProjectileStep

    /// Checks that the map is playable; throws the first problem found, naming the item.
    public func validate() throws(ArenaMapError) {
        guard width >= Self.minSize, width <= Self.maxSize, height >= Self.minSize, height <= Self.maxSize else {
            throw .badSize(width: width, height: height)
        }
        guard walls.count <= Self.maxWalls else { throw .tooManyWalls(walls.count) }
        for (i, wall) in walls.enumerated() {
            guard wall.w > 0, wall.h > 0 else { throw .emptyWall(i) }
            // Written so no sum can overflow, whatever numbers a hand-built map holds.
            guard wall.x >= 0, wall.y >= 0, wall.x <= width - wall.w, wall.y <= height - wall.h else {
                throw .wallOutOfBounds(i)
            }
            guard wall.w >= Self.minWallThickness, wall.h >= Self.minWallThickness else { throw .wallTooThin(i) }
        }
        guard !spawns.isEmpty else { throw .noSpawns }
        let r = Tuning.shipRadius
        for (i, spawn) in spawns.enumerated() {
            guard spawn.x >= r, spawn.y >= r, spawn.x <= width - r, spawn.y <= height - r else {
                throw .spawnOutOfBounds(i)
            }
            if let wall = walls.firstIndex(where: { $0.overlaps(centerX: spawn.x, centerY: spawn.y, halfSize: r) }) {
                throw .spawnBlocked(i, wall: wall)
            }
        }
        for (i, pickup) in pickups.enumerated() {
            guard pickup.x >= 0, pickup.y >= 0, pickup.x < width, pickup.y < height else {
                throw .pickupOutOfBounds(i)
            }
            if let wall = walls.firstIndex(where: { $0.contains(x: pickup.x, y: pickup.y) }) {
                throw .pickupBlocked(i, wall: wall)
            }
        }
    }
}
