import Arena
import ArbiterProtocol
import ArbiterServer
import ArenaServer

/// The per-client work of the snapshot fan-out, without the socket: what `PlayerSession` does
/// for each client on each tick (the view from the frame, then the delta against the snapshot
/// the client last got, both read in place from the frames' shared wire entities), and the
/// room's once-per-frame publish. Shared by FanOutBenchmarks (time, allocations) and
/// `instruction-counts` (instructions under callgrind).
public final class FanOut: @unchecked Sendable {
    public let previous: ArenaFrame
    public let current: ArenaFrame
    public let players: [UInt32]
    var baselines: [Snapshot] = []
    var baselineSlots: [SlotSet] = []
    var view = ArenaFrame.ViewScratch()
    var building = Snapshot()
    var writer = BitWriter(capacity: 16 * 1024)
    var next = 0
    /// Bytes written so far, for a black hole.
    public private(set) var bytes = 0
    public let world: World

    /// `count` players on `expanse` after 240 ticks of random inputs (firing 1 tick in 4),
    /// every client's baseline the frame before `current`, and every buffer warm.
    public init(players count: Int) {
        var world = try! World(map: try! ArenaMap.load(named: "expanse"), seed: 1, tickRate: 60, maxPlayers: count)
        let ids = (0..<count).map { world.addPlayer(name: "p\($0)")! }
        var rng: UInt64 = 0x9E37_79B9
        var frames: [ArenaFrame] = []
        for _ in 0..<240 {
            for id in ids { world.setInput(Self.randomInput(&rng), for: id) }
            world.step()
            frames.append(ArenaFrame(
                tick: world.tick, world: world, acks: [:], kills: [], hits: [], scoreboard: [],
                viewHalfWidth: ArenaRoomGame.viewHalfWidth, viewHalfHeight: ArenaRoomGame.viewHalfHeight, previous: frames.last))
            if frames.count > 2 { frames.removeFirst() }
        }
        previous = frames[0]
        current = frames[1]
        self.world = world
        players = ids.map(\.rawValue)
        for id in players {
            var snapshot = Snapshot()
            _ = previous.fillSnapshot(&snapshot, for: id, sinceTick: 0, scratch: &view, copyingEntities: false)
            baselines.append(snapshot)
            baselineSlots.append(view.slots)
        }
        for _ in 0..<players.count { client() }  // warm every buffer to its working size
    }

    /// A random Input (a 64-bit LCG step): any move, any aim, firing 1 tick in 4.
    static func randomInput(_ rng: inout UInt64) -> PlayerInput {
        rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let r = UInt32(truncatingIfNeeded: rng >> 33)
        return PlayerInput(
            moveX: Int8(truncatingIfNeeded: Int(r % 255) - 127), moveY: Int8(truncatingIfNeeded: Int((r >> 8) % 255) - 127),
            aim: UInt16(truncatingIfNeeded: r >> 12), fire: r & 3 == 0)
    }

    /// The next client's snapshot of `current` (round robin), as `PlayerSession.send` builds it.
    public func client() {
        let i = next
        next = (next + 1) % players.count
        _ = current.fillSnapshot(&building, for: players[i], sinceTick: previous.tick, scratch: &view, copyingEntities: false)
        try! current.encodeDelta(
            &building, view: &view, from: &baselines[i], of: previous,
            baselineSlots: baselineSlots[i], into: &writer)
        bytes &+= writer.bytes.count
    }

    /// The frame after `current`, as the room publishes it once per tick.
    public func publish() -> ArenaFrame {
        ArenaFrame(
            tick: current.tick + 1, world: world, acks: [:], kills: [], hits: [], scoreboard: [],
            viewHalfWidth: ArenaRoomGame.viewHalfWidth, viewHalfHeight: ArenaRoomGame.viewHalfHeight, previous: current)
    }
}

/// The room's step at the fan-out's density: from the fixture's world, each call hands every
/// player an Input as the room does (`World.addInput`, random, firing 1 tick in 4) and steps.
public final class WorldSteps: @unchecked Sendable {
    var world: World
    let ids: [EntityID]
    var rng: UInt64 = 0x2545_F491_4F6C_DD1D

    public init(_ fanOut: FanOut) {
        world = fanOut.world
        ids = fanOut.players.map { EntityID(rawValue: $0) }
    }

    public func step() {
        for id in ids { world.addInput(FanOut.randomInput(&rng), for: id) }
        world.step()
    }
}
