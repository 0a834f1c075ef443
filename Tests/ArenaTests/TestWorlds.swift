@testable import Arena

/// Small hand-made maps and helpers for rule tests.
enum TestWorlds {
    /// A 1000x400 open field with two spawns far apart, plus optional walls and pickups (units).
    static func field(walls: [(Int, Int, Int, Int)] = [], pickups: [(ArenaMap.PickupKind, Int, Int)] = [],
                      tickRate: Int = 60) throws -> World {
        let u: Int32 = 256
        let map = ArenaMap(
            name: "field", width: 1000 * u, height: 400 * u,
            walls: walls.map { WallRect(x: Int32($0.0) * u, y: Int32($0.1) * u, w: Int32($0.2) * u, h: Int32($0.3) * u) },
            spawns: [.init(x: 100 * u, y: 200 * u), .init(x: 900 * u, y: 200 * u)],
            pickups: pickups.map { .init(kind: $0.0, x: Int32($0.1) * u, y: Int32($0.2) * u) })
        return try World(map: map, seed: 7, tickRate: tickRate)
    }

    /// Adds a player and puts it at (x, y) units, at rest.
    static func place(_ world: inout World, _ name: String, x: Int, y: Int) -> EntityID {
        let id = world.addPlayer(name: name)!
        let i = world.playerIndex(of: id)!
        world.players[i].x = Int32(x) * 256
        world.players[i].y = Int32(y) * 256
        return id
    }

    /// Binary angle pointing along +x (0) or -x (32768).
    static let right: UInt16 = 0
    static let left: UInt16 = 32768
}
