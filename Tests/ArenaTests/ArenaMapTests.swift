import Foundation
import Testing
@testable import Arena

@Suite struct ArenaMapTests {
    @Test func bundledMapsLoadAndValidate() throws {
        #expect(ArenaMap.bundledNames.contains("duel"))
        #expect(ArenaMap.bundledNames.contains("expanse"))
        let duel = try ArenaMap.load(named: "duel")
        #expect(duel.width == 1600 * 256 && duel.height == 1200 * 256)
        let expanse = try ArenaMap.load(named: "expanse")
        #expect(expanse.width == 8000 * 256)
        #expect(expanse.spawns.count >= 100)
    }

    /// Every file in Sources/Arena/Maps is compiled in and has its row in `ArenaMap.embedded`.
    @Test func everyMapFileIsEmbedded() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Arena/Maps")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(!files.isEmpty)
        for file in files {
            let name = String(file.dropLast(5))
            let onDisk = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(ArenaMap.embedded[name].map { Data($0) } == onDisk, "\(file) is not embedded as it is on disk")
        }
        #expect(ArenaMap.bundledNames == files.map { String($0.dropLast(5)) }.sorted())
    }

    @Test func unknownMapIsNotFound() {
        #expect(throws: ArenaMapError.notFound("nope")) { try ArenaMap.load(named: "nope") }
        #expect(throws: ArenaMapError.notFound("../duel")) { try ArenaMap.load(named: "../duel") }
    }

    private func load(_ json: String) throws(ArenaMapError) -> ArenaMap {
        try ArenaMap.load(from: Array(json.utf8))
    }

    private func mapJSON(walls: String = "[]", spawns: String = #"[{"x":100,"y":100}]"#, pickups: String = "[]",
                         width: Int = 400, height: Int = 300) -> String {
        #"{"name":"t","width":\#(width),"height":\#(height),"walls":\#(walls),"spawns":\#(spawns),"pickups":\#(pickups)}"#
    }

    @Test func validatorNamesTheBrokenItem() throws {
        _ = try load(mapJSON())
        #expect(throws: ArenaMapError.wallOutOfBounds(1)) {
            try load(mapJSON(walls: #"[{"x":0,"y":0,"w":20,"h":20},{"x":390,"y":0,"w":20,"h":20}]"#))
        }
        #expect(throws: ArenaMapError.spawnBlocked(0, wall: 0)) {
            try load(mapJSON(walls: #"[{"x":110,"y":90,"w":20,"h":20}]"#))
        }
        #expect(throws: ArenaMapError.spawnOutOfBounds(1)) {
            try load(mapJSON(spawns: #"[{"x":100,"y":100},{"x":5,"y":100}]"#))
        }
        #expect(throws: ArenaMapError.noSpawns) { try load(mapJSON(spawns: "[]")) }
        #expect(throws: ArenaMapError.wallTooThin(0)) {
            try load(mapJSON(walls: #"[{"x":200,"y":200,"w":2,"h":50}]"#))
        }
        #expect(throws: ArenaMapError.emptyWall(0)) {
            try load(mapJSON(walls: #"[{"x":200,"y":200,"w":0,"h":50}]"#))
        }
        #expect(throws: ArenaMapError.pickupBlocked(0, wall: 0)) {
            try load(mapJSON(walls: #"[{"x":200,"y":200,"w":20,"h":50}]"#, pickups: #"[{"kind":"health","x":210,"y":210}]"#))
        }
        #expect(throws: ArenaMapError.badSize(width: 9000 * 256, height: 300 * 256)) { try load(mapJSON(width: 9000)) }
        let error = #expect(throws: ArenaMapError.self) { try load(#"{"name":"t","width":1e99}"#) }
        #expect(error?.description.contains("malformed") == true)
        #expect(throws: ArenaMapError.self) { try load(mapJSON(width: Int.max)) }
        // Hand-built maps with extreme numbers are rejected, not overflowed.
        let extreme = ArenaMap(
            name: "x", width: 1000 * 256, height: 1000 * 256,
            walls: [WallRect(x: .max - 1, y: .max - 1, w: .max, h: .max)],
            spawns: [.init(x: .max, y: .min)], pickups: [])
        #expect(throws: ArenaMapError.wallOutOfBounds(0)) { try extreme.validate() }
        let extremeSpawn = ArenaMap(name: "x", width: 1000 * 256, height: 1000 * 256, walls: [],
                                    spawns: [.init(x: .max, y: .min)], pickups: [])
        #expect(throws: ArenaMapError.spawnOutOfBounds(0)) { try extremeSpawn.validate() }
        #expect(ArenaMapError.spawnBlocked(2, wall: 7).description == "spawn 2: a ship there would overlap wall 7")
    }
}
