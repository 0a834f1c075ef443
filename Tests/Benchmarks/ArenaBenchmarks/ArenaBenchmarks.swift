import Arena
import Benchmark

/// A running match whose state carries over between benchmark iterations (each iteration is one
/// tick), warmed up so projectiles, deaths and respawns are in steady state.
final class Match: @unchecked Sendable {
    var world: World
    var ids: [EntityID] = []
    var rng: UInt64
    /// The caller-owned buffer view queries fill.
    var view: [EntityID] = []
    /// After `publishedTick`, the world's entities as a room's published frame keeps them
    /// (`World.View`): the next step then writes state shared with it (copy-on-write).
    var published: World.View?

    init(map: String, players: Int, tickRate: Int, warmup: Int) {
        world = try! World(map: try! ArenaMap.load(named: map), seed: 1, tickRate: tickRate, maxPlayers: players)
        rng = 0x9E37_79B9
        for n in 0..<players { ids.append(world.addPlayer(name: "p\(n)")!) }
        for _ in 0..<warmup { tick() }
    }

    /// Every player moves and fires every tick (held fire: one shot per cooldown).
    func tick() {
        for id in ids {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = UInt32(truncatingIfNeeded: rng >> 33)
            world.setInput(PlayerInput(
                moveX: Int8(truncatingIfNeeded: Int(r % 255) - 127),
                moveY: Int8(truncatingIfNeeded: Int((r >> 8) % 255) - 127),
                aim: UInt16(truncatingIfNeeded: r >> 12), fire: true, secondary: r >> 30 == 3), for: id)
        }
        world.step()
    }

    /// A tick as a room runs it: the world's entities are also held by the frame published
    /// after it (`World.View`).
    func publishedTick() {
        tick()
        published = world.view
    }
}

/// Wall time and allocations per iteration. Allocation counts are gated in CI exactly as stored in
/// Tests/Benchmarks/Thresholds; CodecBenchmarks explains the gate, the command and the names.
/// A match's allocations vary from tick to tick, so each benchmark runs a fixed number of ticks
/// (`maxIterations`, reached long before `maxDuration` even on a loaded machine): the same ticks
/// every run, hence the same p90. No `cpuTotal`: it ticks in 10 ms steps here and reading it
/// allocates, which would add to every sample's malloc count.
func configuration(iterations: Int) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .microseconds, warmupIterations: 50, maxDuration: .seconds(60), maxIterations: iterations,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])
}

let benchmarks: @Sendable () -> Void = {
    let duel = Match(map: "duel", players: 64, tickRate: 60, warmup: 300)
    Benchmark("step-duel-64-players-firing-60Hz", configuration: configuration(iterations: 2_000)) { benchmark in
        for _ in benchmark.scaledIterations { duel.tick() }
        blackHole(duel.world.projectiles.count)
    }

    let expanse = Match(map: "expanse", players: 1000, tickRate: 30, warmup: 100)
    Benchmark("step-expanse-1000-players-firing-30Hz", configuration: configuration(iterations: 300)) { benchmark in
        for _ in benchmark.scaledIterations { expanse.tick() }
        blackHole(expanse.world.projectiles.count)
    }

    // What a room's tick costs when its last frame still holds the world's entities: the
    // allocations of copying shared state, which the plain step above never pays.
    let room = Match(map: "expanse", players: 1000, tickRate: 30, warmup: 100)
    Benchmark("step-expanse-1000-players-holding-published-frame", configuration: configuration(iterations: 300)) { benchmark in
        for _ in benchmark.scaledIterations { room.publishedTick() }
        blackHole(room.published?.tick)
    }

    Benchmark("stateHash-expanse-1000-players", configuration: configuration(iterations: 2_000)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(expanse.world.stateHash) }
    }

    expanse.view.reserveCapacity(4096)
    let halfWidth: Int32 = 800 * 256, halfHeight: Int32 = 450 * 256
    Benchmark("viewQueries-expanse-1000-players-all-in-one-tick", configuration: configuration(iterations: 300)) { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0
            for id in expanse.ids {
                expanse.view.removeAll(keepingCapacity: true)
                expanse.world.entities(around: id, halfWidth: halfWidth, halfHeight: halfHeight, into: &expanse.view)
                total += expanse.view.count
            }
            blackHole(total)
        }
    }
}
