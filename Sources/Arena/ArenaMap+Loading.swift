import Foundation

/// Map files are JSON in world units (integers), converted to subunits on load:
///
/// ```json
/// { "name": "duel", "width": 1600, "height": 1200,
///   "walls":   [ { "x": 0, "y": 0, "w": 40, "h": 40 } ],
///   "spawns":  [ { "x": 100, "y": 100 } ],
///   "pickups": [ { "kind": "health", "x": 800, "y": 600 } ] }
/// ```
///
/// `kind` is `health` or `power`. Loading validates the map, so a loaded map is playable.
extension ArenaMap {
    private struct File: Decodable {
        struct Wall: Decodable { var x, y, w, h: Int }
        struct Spot: Decodable { var x, y: Int }
        struct Pickup: Decodable {
            var kind: String
            var x, y: Int
        }
        var name: String
        var width, height: Int
        var walls: [Wall]
        var spawns: [Spot]
        var pickups: [Pickup]?
    }

    /// The maps of `Sources/Arena/Maps`, compiled into the module by SwiftPM (`.embedInCode`),
    /// so every build finds them wherever it runs. A new map file needs its row here
    /// (`ArenaMapTests` checks that every file in the folder has one).
    static let embedded: [String: [UInt8]] = [
        "duel": PackageResources.duel_json,
        "expanse": PackageResources.expanse_json,
    ]

    /// Loads and validates one of the maps shipped in `Sources/Arena/Maps`.
    public static func load(named name: String) throws(ArenaMapError) -> ArenaMap {
        guard let bytes = embedded[name] else { throw .notFound(name) }
        return try load(from: bytes)
    }

    /// The names of the maps shipped with the module, sorted.
    public static var bundledNames: [String] {
        embedded.keys.sorted()
    }

    /// Parses and validates a map file's bytes; no bundle needed (tests, tools).
    public static func load(from data: Data) throws(ArenaMapError) -> ArenaMap {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw .malformed(String(describing: error))
        }
        let map = try ArenaMap(file: file)
        try map.validate()
        return map
    }

    public static func load(from bytes: [UInt8]) throws(ArenaMapError) -> ArenaMap {
        try load(from: Data(bytes))
    }

    private init(file: File) throws(ArenaMapError) {
        // Range-check before scaling so absurd numbers become an error, not an overflow trap.
        func sub(_ v: Int, _ what: @autoclosure () -> String) throws(ArenaMapError) -> Int32 {
            guard (-65536...65536).contains(v) else { throw .malformed("\(what()) is out of range: \(v)") }
            return Int32(v) * FixedMath.subunitsPerUnit
        }
        guard !file.name.isEmpty, file.name.utf8.count <= 32 else {
            throw .malformed("name must be 1...32 bytes")
        }
        var walls: [WallRect] = []
        for (i, w) in file.walls.enumerated() {
            walls.append(WallRect(
                x: try sub(w.x, "wall \(i) x"), y: try sub(w.y, "wall \(i) y"),
                w: try sub(w.w, "wall \(i) w"), h: try sub(w.h, "wall \(i) h")))
        }
        var spawns: [Point] = []
        for (i, s) in file.spawns.enumerated() {
            spawns.append(Point(x: try sub(s.x, "spawn \(i) x"), y: try sub(s.y, "spawn \(i) y")))
        }
        var pickups: [PickupSpot] = []
        for (i, p) in (file.pickups ?? []).enumerated() {
            let kind: PickupKind
            switch p.kind {
            case "health": kind = .health
            case "power": kind = .power
            default: throw .malformed("pickup \(i) has unknown kind \"\(p.kind)\"")
            }
            pickups.append(PickupSpot(kind: kind, x: try sub(p.x, "pickup \(i) x"), y: try sub(p.y, "pickup \(i) y")))
        }
        self.init(
            name: file.name, width: try sub(file.width, "width"), height: try sub(file.height, "height"),
            walls: walls, spawns: spawns, pickups: pickups)
    }
}
