/// A map: its size, walls, spawn points and pickup spots, all in subunits.
/// Maps are data (`Sources/Arena/Maps/*.json`, see `ArenaMap+Loading.swift` for the format);
/// a `World` only accepts a map that passed `validate()`.
public struct ArenaMap: Sendable, Hashable {
    public enum PickupKind: UInt8, Sendable, Hashable, CaseIterable {
        case health = 0
        case power = 1
    }

    public struct Point: Sendable, Hashable {
        public var x: Int32
        public var y: Int32
        public init(x: Int32, y: Int32) {
            self.x = x
            self.y = y
        }
    }

    public struct PickupSpot: Sendable, Hashable {
        public var kind: PickupKind
        public var x: Int32
        public var y: Int32
        public init(kind: PickupKind, x: Int32, y: Int32) {
            self.kind = kind
            self.x = x
            self.y = y
        }
    }

    public var name: String
    public var width: Int32
    public var height: Int32
    public var walls: [WallRect]
    public var spawns: [Point]
    public var pickups: [PickupSpot]

    public init(name: String, width: Int32, height: Int32, walls: [WallRect], spawns: [Point], pickups: [PickupSpot]) {
        self.name = name
        self.width = width
        self.height = height
        self.walls = walls
        self.spawns = spawns
        self.pickups = pickups
    }

    /// A 64-bit FNV-1a digest of the geometry, so a replay can tell it runs on the same map
    /// data it was recorded with, not just a map of the same name.
    public var contentHash: UInt64 {
        var hasher = StateHasher()
        hasher.combine(name)
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(walls.count)
        for wall in walls {
            hasher.combine(wall.x)
            hasher.combine(wall.y)
            hasher.combine(wall.w)
            hasher.combine(wall.h)
        }
        hasher.combine(spawns.count)
        for spawn in spawns {
            hasher.combine(spawn.x)
            hasher.combine(spawn.y)
        }
        hasher.combine(pickups.count)
        for pickup in pickups {
            hasher.combine(pickup.kind.rawValue)
            hasher.combine(pickup.x)
            hasher.combine(pickup.y)
        }
        return hasher.value
    }
}
