/// Why a map was rejected, naming the offending item so a map author can fix it.
public struct ArenaMapError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case malformed(String)
        case notFound(String)
        case badSize(width: Int32, height: Int32)
        case emptyWall(index: Int)
        case wallOutOfBounds(index: Int)
        case wallTooThin(index: Int, minimum: Int32)
        case tooManyWalls(count: Int, limit: Int)
        case noSpawns
        case spawnBlocked(index: Int, wall: Int)
        case spawnOutOfBounds(index: Int)
        case pickupBlocked(index: Int, wall: Int)
        case pickupOutOfBounds(index: Int)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        let unit = FixedMath.subunitsPerUnit
        switch kind {
        case .malformed(let detail): return "map file is malformed: \(detail)"
        case .notFound(let name): return "no map named \"\(name)\""
        case .badSize(let w, let h):
            return "map size \(w / unit)x\(h / unit) is outside 64...\(ArenaMap.maxSize / unit) units"
        case .emptyWall(let i): return "wall \(i) has no area"
        case .wallOutOfBounds(let i): return "wall \(i) extends outside the map"
        case .wallTooThin(let i, let minimum):
            return "wall \(i) is thinner than \(minimum / unit) units (projectiles could pass through)"
        case .tooManyWalls(let count, let limit): return "map has \(count) walls, at most \(limit) are allowed"
        case .noSpawns: return "map has no spawn points"
        case .spawnBlocked(let i, let wall): return "spawn \(i): a ship there would overlap wall \(wall)"
        case .spawnOutOfBounds(let i): return "spawn \(i): a ship there would stick out of the map"
        case .pickupBlocked(let i, let wall): return "pickup \(i) lies inside wall \(wall)"
        case .pickupOutOfBounds(let i): return "pickup \(i) lies outside the map"
        }
    }

    // Values to compare against (`error == .wallOutOfBounds(3)`); the enum stays private so
    // new cases do not break callers.
    public static func malformed(_ detail: String) -> Self { Self(.malformed(detail)) }
    public static func notFound(_ name: String) -> Self { Self(.notFound(name)) }
    public static func badSize(width: Int32, height: Int32) -> Self { Self(.badSize(width: width, height: height)) }
    public static func emptyWall(_ index: Int) -> Self { Self(.emptyWall(index: index)) }
    public static func wallOutOfBounds(_ index: Int) -> Self { Self(.wallOutOfBounds(index: index)) }
    public static func wallTooThin(_ index: Int) -> Self { Self(.wallTooThin(index: index, minimum: ArenaMap.minWallThickness)) }
    public static func tooManyWalls(_ count: Int) -> Self { Self(.tooManyWalls(count: count, limit: ArenaMap.maxWalls)) }
    public static var noSpawns: Self { Self(.noSpawns) }
    public static func spawnBlocked(_ index: Int, wall: Int) -> Self { Self(.spawnBlocked(index: index, wall: wall)) }
    public static func spawnOutOfBounds(_ index: Int) -> Self { Self(.spawnOutOfBounds(index: index)) }
    public static func pickupBlocked(_ index: Int, wall: Int) -> Self { Self(.pickupBlocked(index: index, wall: wall)) }
    public static func pickupOutOfBounds(_ index: Int) -> Self { Self(.pickupOutOfBounds(index: index)) }
}
