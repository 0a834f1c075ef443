import Arena
import ArbiterProtocol
import ArbiterServer
import ArenaServer
import Benchmark

/// The per-client work of the snapshot fan-out, without the socket: what `PlayerSession` does
/// for each client on each tick (the view from the frame, then the delta against the snapshot
/// the client last got, both read in place from the frames' shared wire entities).
///
/// The target is 0 allocations per client per tick; the count is gated in CI like the others
/// (CodecBenchmarks explains the gate). Time is printed, not gated.
final class FanOut: @unchecked Sendable {
    let previous: ArenaFrame
    let current: ArenaFrame
    let players: [UInt32]
    var baselines: [Snapshot] = []
    var baselinePositions: [[Int32]] = []
    var view = ArenaFrame.ViewScratch()
    var building = Snapshot()
    var writer = BitWriter(capacity: 16 * 1024)
    var next = 0
    var bytes = 0
    let world: World

    init(players count: Int) {
        var world = try! World(map: try! ArenaMap.load(named: "expanse"), seed: 1, tickRate: 60, maxPlayers: count)
        let ids = (0..<count).map { world.addPlayer(name: "p\($0)")! }
        var rng: UInt64 = 0x9E37_79B9
        var frames: [ArenaFrame] = []
        for _ in 0..<240 {
            for id in ids {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let r = UInt32(truncatingIfNeeded: rng >> 33)
                world.setInput(PlayerInput(
                    moveX: Int8(truncatingIfNeeded: Int(r % 255) - 127), moveY: Int8(truncatingIfNeeded: Int((r >> 8) % 255) - 127),
                    aim: UInt16(truncatingIfNeeded: r >> 12), fire: r & 3 == 0), for: id)
            }
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
            baselinePositions.append(view.positions)
        }
        for _ in 0..<players.count { client() }  // warm every buffer to its working size
    }

    /// One client's snapshot of `current`, as `PlayerSession.send` builds it.
    func client() {
        let i = next
        next = (next + 1) % players.count
        _ = current.fillSnapshot(&building, for: players[i], sinceTick: previous.tick, scratch: &view, copyingEntities: false)
        try! building.encodeMessage(
            into: &writer, deltaFrom: baselines[i],
            entities: SharedEntitySet(entries: current.wireEntities, positions: view.positions, changedAt: current.changedAt, tick: current.tick),
            entitiesBaseline: SharedEntitySet(
                entries: previous.wireEntities, positions: baselinePositions[i], changedAt: previous.changedAt, tick: previous.tick))
        bytes &+= writer.bytes.count
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 100,
        maxDuration: .seconds(30), maxIterations: 20_000,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0, .p100: 0])])
    let crowd = FanOut(players: 1000)
    Benchmark("client-snapshot-expanse-1000-players", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { crowd.client() }
        blackHole(crowd.bytes)
    }

    // Once per tick on the room thread: every entity to its wire value, and when it last changed.
    // A handful of arrays per frame (not per client), so the count is stored, not 0.
    Benchmark(
        "frame-publish-expanse-1000-players",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 10,
            maxDuration: .seconds(30), maxIterations: 500,
            thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ArenaFrame(
                tick: crowd.current.tick + 1, world: crowd.world, acks: [:], kills: [], hits: [], scoreboard: [],
                viewHalfWidth: ArenaRoomGame.viewHalfWidth, viewHalfHeight: ArenaRoomGame.viewHalfHeight, previous: crowd.current))
        }
    }
}
