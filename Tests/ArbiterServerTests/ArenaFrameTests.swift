import Arena
import ArbiterProtocol
import Testing

@testable import ArbiterServer

/// `fillSnapshot` against a brute-force reading of the same world: the bitmap walk must give
/// exactly the entities in the view rectangle, in slot order, with their wire values.
@Suite struct ArenaFrameTests {
    @Test func viewHoldsExactlyTheEntitiesInRangeInSlotOrder() throws {
        var world = try World(map: try ArenaMap.load(named: "expanse"), seed: 11, tickRate: 60)
        var ids: [EntityID] = []
        for i in 0..<300 {
            let id = world.addPlayer(name: "p\(i)")
            ids.append(try #require(id))
        }
        for tick in 0..<240 {
            for (i, id) in ids.enumerated() {
                let turn = UInt16(truncatingIfNeeded: (i * 7919 + tick * 97) & 0xFFFF)
                _ = world.setInput(PlayerInput(moveX: 127, moveY: Int8(truncatingIfNeeded: i % 255 - 127), aim: turn, fire: i % 3 == 0), for: id)
            }
            world.step()
        }
        let half = ArenaRoomGame.viewHalfWidth, halfY = ArenaRoomGame.viewHalfHeight
        let frame = ArenaFrame(tick: world.tick, world: world, acks: [:], kills: [], hits: [], scoreboard: [], viewHalfWidth: half, viewHalfHeight: halfY)
        var scratch = ArenaFrame.ViewScratch()
        var snapshot = Snapshot()
        #expect(world.projectiles.count > 100)
        for id in ids.prefix(40) {
            #expect(frame.fillSnapshot(&snapshot, for: id.rawValue, sinceTick: 0, scratch: &scratch))
            let me = world.players[try #require(world.playerIndex(of: id))]
            var expected: [UInt32] = []
            world.forEachEntity(minX: me.x - half, minY: me.y - halfY, maxX: me.x + half, maxY: me.y + halfY) { id, _, _ in
                expected.append(id.rawValue)
            }
            expected.sort { $0 & 0xFF_FFFF < $1 & 0xFF_FFFF }
            #expect(snapshot.entities.map(\.id) == expected)
            let byID = Dictionary(uniqueKeysWithValues: frame.wireEntities.map { ($0.id, $0.value) })
            #expect(snapshot.entities.allSatisfy { byID[$0.id] == $0.value })
        }
        #expect(scratch.visible.allSatisfy { $0 == 0 })
    }
}
