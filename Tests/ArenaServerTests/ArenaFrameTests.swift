import Arena
import ArbiterProtocol
import Testing

@testable import ArenaServer

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
            #expect(Self.positions(of: scratch.slots, in: frame).map { frame.wireEntities[Int($0)] } == snapshot.entities)
            // The same view by slot, which a session keeps for the next delta.
            var slots: [Int] = []
            for word in scratch.slots.range {
                for bit in 0..<64 where scratch.slots.words[word] & 1 << UInt64(bit) != 0 { slots.append(word << 6 | bit) }
            }
            #expect(slots == expected.map { Int($0 & 0xFF_FFFF) })
        }
    }

    /// A view with more entities than the wire's limit keeps the first `Snapshot.Limits.entities`
    /// in slot order, and its slots say the same, so the next delta is against what was sent.
    @Test func aCrowdedViewIsCutAtTheWiresLimitInSlotOrder() throws {
        var world = try World(map: try ArenaMap.load(named: "expanse"), seed: 3, tickRate: 60)
        var ids: [EntityID] = []
        for i in 0..<1000 {
            guard let id = world.addPlayer(name: "p\(i)") else { break }
            ids.append(id)
        }
        for tick in 0..<40 {
            for (i, id) in ids.enumerated() {
                _ = world.setInput(PlayerInput(moveX: 0, moveY: 0, aim: UInt16(truncatingIfNeeded: i * 997 + tick * 31), fire: true), for: id)
            }
            world.step()
        }
        let frame = ArenaFrame(
            tick: world.tick, world: world, acks: [:], kills: [], hits: [], scoreboard: [],
            viewHalfWidth: Int32.max / 4, viewHalfHeight: Int32.max / 4)
        let limit = Snapshot.Limits.entities
        #expect(frame.wireEntities.count > limit, "\(frame.wireEntities.count) entities")
        var scratch = ArenaFrame.ViewScratch()
        var full = Snapshot(), bySlot = Snapshot()
        #expect(frame.fillSnapshot(&full, for: ids[0].rawValue, sinceTick: 0, scratch: &scratch))
        let expected = frame.wireEntities.sorted { $0.slot < $1.slot }.prefix(limit)
        #expect(full.entities == Array(expected))
        #expect(Self.positions(of: scratch.slots, in: frame).map { frame.wireEntities[Int($0)] } == full.entities)
        #expect(frame.fillSnapshot(&bySlot, for: ids[0].rawValue, sinceTick: 0, scratch: &scratch, copyingEntities: false))
        #expect(Self.positions(of: scratch.slots, in: frame).count == limit)
    }

    /// The `wireEntities` index of each slot in `slots`, in slot order: a view as positions.
    static func positions(of slots: SlotSet, in frame: ArenaFrame) -> [Int32] {
        var positions: [Int32] = []
        for word in slots.range {
            for bit in 0..<64 where slots.words[word] & 1 << UInt64(bit) != 0 {
                positions.append(frame.shared.positionBySlot[word << 6 | bit])
            }
        }
        return positions
    }

    /// A baseline kept as positions in the frame it came from skips comparing entities unchanged
    /// since then (`changedAt`); the delta written that way must be byte for byte the delta
    /// against a full copy, also when the baseline is several frames old (snapshots skipped for
    /// a full socket). So must the word-at-a-time delta of a session's views by slot alone
    /// (`SharedFrame`, slots), against the frame just before and against older ones.
    @Test func compactBaselineEncodesLikeAFullOne() throws {
        var world = try World(map: try ArenaMap.load(named: "duel"), seed: 5, tickRate: 60)
        var ids: [EntityID] = []
        for i in 0..<24 {
            let id = world.addPlayer(name: "p\(i)")
            ids.append(try #require(id))
        }
        var last: ArenaFrame?
        func frame() -> ArenaFrame {
            let made = ArenaFrame(
                tick: world.tick, world: world, acks: [:], kills: [], hits: [], scoreboard: [],
                viewHalfWidth: ArenaRoomGame.viewHalfWidth, viewHalfHeight: ArenaRoomGame.viewHalfHeight, previous: last)
            last = made
            return made
        }
        var scratch = ArenaFrame.ViewScratch()
        var previous = frame()
        var old = Snapshot()
        _ = previous.fillSnapshot(&old, for: ids[0].rawValue, sinceTick: 0, scratch: &scratch)
        var positions = Self.positions(of: scratch.slots, in: previous)
        var slots = scratch.slots
        var full = BitWriter(capacity: 4096), compact = BitWriter(capacity: 4096), bySlot = BitWriter(capacity: 4096)
        var changedEntities = 0, knownUnchanged = 0, consecutive = 0, skipped = 0
        for tick in 0..<180 {
            for (i, id) in ids.enumerated() {
                let moving = (i + tick / 30) % 3 != 0
                _ = world.setInput(PlayerInput(
                    moveX: moving ? Int8(truncatingIfNeeded: (i * 37 + tick) % 255 - 127) : 0, moveY: moving ? 90 : 0,
                    aim: moving ? UInt16(truncatingIfNeeded: tick * 500) : 0, fire: i % 2 == 0), for: id)
            }
            world.step()
            let next = frame()
            // Every fourth tick the client "missed" two snapshots: its baseline stays put.
            if tick % 4 == 1 || tick % 4 == 2 { continue }
            var new = Snapshot()
            #expect(next.fillSnapshot(&new, for: ids[0].rawValue, sinceTick: previous.tick, scratch: &scratch))
            try new.encodeMessage(into: &full, baseline: old)
            var stripped = old
            stripped.entities = []
            let currentPositions = Self.positions(of: scratch.slots, in: next)
            let current = SharedEntitySet(entries: next.wireEntities, positions: currentPositions, changedAt: next.changedAt, tick: next.tick)
            let baseline = SharedEntitySet(entries: previous.wireEntities, positions: positions, changedAt: previous.changedAt, tick: previous.tick)
            try new.encodeMessage(into: &compact, deltaFrom: stripped, entities: current, entitiesBaseline: baseline)
            #expect(full.bytes == compact.bytes)
            let currentSlots = next.entitySet(slots: scratch.slots)
            let baselineSlots = previous.entitySet(slots: slots)
            try new.encodeMessage(into: &bySlot, deltaFrom: stripped, entities: currentSlots, entitiesBaseline: baselineSlots)
            #expect(full.bytes == bySlot.bytes)
            if next.shared.previousTick == previous.tick { consecutive += 1 } else { skipped += 1 }
            var j = 0
            for i in current.indices {
                while j < baseline.count && baseline[j].slot < current[i].slot { j += 1 }
                if j < baseline.count && baseline[j].slot == current[i].slot && current.isKnownUnchanged(i, from: baseline, j) {
                    #expect(current[i] == baseline[j])
                    knownUnchanged += 1
                }
            }
            if new.entities != old.entities { changedEntities += 1 }
            (previous, old, positions, slots) = (next, new, currentPositions, scratch.slots)
        }
        #expect(consecutive > 40 && skipped > 40)
        #expect(changedEntities > 60)
        #expect(knownUnchanged > 200)
    }

    /// Kills and hits since the baseline's tick: every kill, and the hits that involve the
    /// player, newer than `sinceTick`, oldest first, up to the wire's limits (read from the end
    /// of the room's tick-ordered window, as a brute-force filter of the whole window gives).
    @Test func eventsSinceTheBaselineAreTheNewerSuffix() throws {
        var world = try World(map: try ArenaMap.load(named: "duel"), seed: 3, tickRate: 60)
        let added = world.addPlayer(name: "me")
        let me = try #require(added).rawValue
        let ticks: [UInt32] = [3, 5, 5, 6, 6, 6, 9, 9, 10]
        let kills = ticks.enumerated().map { (tick: $1, event: Kill(killer: UInt32($0), victim: me)) }
        let hits = ticks.enumerated().map { i, tick in
            (tick: tick, event: Hit(attacker: i % 2 == 0 ? me : 77, target: 78, damage: 10 + i))
        }
        let frame = ArenaFrame(
            tick: 10, world: world, acks: [:], kills: kills, hits: hits, scoreboard: [],
            viewHalfWidth: ArenaRoomGame.viewHalfWidth, viewHalfHeight: ArenaRoomGame.viewHalfHeight)
        var scratch = ArenaFrame.ViewScratch()
        var snapshot = Snapshot()
        for since: UInt32 in [0, 2, 3, 5, 6, 8, 9, 10, 11] {
            #expect(frame.fillSnapshot(&snapshot, for: me, sinceTick: since, scratch: &scratch))
            #expect(snapshot.kills == kills.filter { $0.tick > since }.map(\.event), "since \(since)")
            #expect(snapshot.hits == hits.filter { $0.tick > since && $0.event.attacker == me }.map(\.event), "since \(since)")
        }
    }
}
