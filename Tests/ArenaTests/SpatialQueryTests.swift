import Foundation
import Testing
@testable import Arena

@Suite struct SpatialQueryTests {
    @Test func viewQueryMatchesABruteForceScan() throws {
        var world = try World(map: try ArenaMap.load(named: "expanse"), seed: 3, tickRate: 30)
        var script = ScriptedMatch(seed: 3)
        var ids: [EntityID] = []
        for n in 0..<300 { ids.append(world.addPlayer(name: "p\(n)")!) }
        for _ in 0..<30 {
            for id in ids { if let input = script.input() { world.setInput(input, for: id) } }
            world.step()
        }
        var result: [EntityID] = []
        let half: Int32 = 600 * 256
        for id in ids.prefix(40) {
            result.removeAll(keepingCapacity: true)
            world.entities(around: id, halfWidth: half, halfHeight: half * 3 / 4, into: &result)
            let me = world.player(id)!
            func inside(_ x: Int32, _ y: Int32) -> Bool {
                abs(x - me.x) <= half && abs(y - me.y) <= half * 3 / 4
            }
            var expected = world.players.filter { inside($0.x, $0.y) }.map(\.id)
            expected += world.projectiles.filter { inside($0.x, $0.y) }.map(\.id)
            expected += world.pickups.filter { inside($0.x, $0.y) }.map(\.id)
            #expect(Set(result) == Set(expected))
            #expect(result.count == expected.count)
            #expect(result.contains(id))
        }
        // The query names kinds and indices correctly.
        world.forEachEntity(minX: 0, minY: 0, maxX: world.map.width, maxY: world.map.height) { id, kind, index in
            switch kind {
            case .player: #expect(world.players[index].id == id)
            case .projectile: #expect(world.projectiles[index].id == id)
            case .pickup: #expect(world.pickups[index].id == id)
            }
        }
    }

    @Test func gridKeepsInsertionOrderWithinCells() {
        var grid = SpatialGrid(width: 1000 * 256, height: 1000 * 256)
        grid.removeAll()
        for i in 0..<100 {
            grid.insert(id: EntityID(slot: i, generation: 1), index: Int32(i), x: Int32(i % 10) * 30 * 256, y: Int32(i / 10) * 30 * 256)
        }
        grid.finish()
        var all: [EntityID] = []
        grid.query(minX: 0, minY: 0, maxX: 1000 * 256, maxY: 1000 * 256, into: &all)
        #expect(all.count == 100 && Set(all).count == 100)
        var some: [EntityID] = []
        grid.query(minX: 0, minY: 0, maxX: 30 * 256, maxY: 30 * 256, into: &some)
        #expect(Set(some) == [EntityID(slot: 0, generation: 1), EntityID(slot: 1, generation: 1),
                              EntityID(slot: 10, generation: 1), EntityID(slot: 11, generation: 1)])
    }

    @Test func integerTrigIsCloseAndExactAtQuarterTurns() {
        #expect(FixedMath.sinQ14(0) == 0 && FixedMath.cosQ14(0) == 16384)
        #expect(FixedMath.sinQ14(16384) == 16384 && FixedMath.sinQ14(32768) == 0 && FixedMath.sinQ14(49152) == -16384)
        for a in stride(from: 0, to: 65536, by: 97) {
            let exact = sin(Double(a) * 2 * .pi / 65536) * 16384
            #expect(abs(Double(FixedMath.sinQ14(UInt16(a))) - exact) < 8)
        }
    }
}
