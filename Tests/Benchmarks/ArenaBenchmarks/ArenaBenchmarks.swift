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
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .microseconds, warmupIterations: 50, maxDuration: .seconds(3), maxIterations: 20_000)

    let duel = Match(map: "duel", players: 64, tickRate: 60, warmup: 300)
    Benchmark("step: 64 players firing, duel, 60 Hz", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { duel.tick() }
        blackHole(duel.world.projectiles.count)
    }

    let expanse = Match(map: "expanse", players: 1000, tickRate: 30, warmup: 100)
    Benchmark("step: 1000 players firing, expanse, 30 Hz", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { expanse.tick() }
        blackHole(expanse.world.projectiles.count)
    }

    Benchmark("stateHash: 1000 players, expanse", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(expanse.world.stateHash) }
    }

    expanse.view.reserveCapacity(4096)
    let halfWidth: Int32 = 800 * 256, halfHeight: Int32 = 450 * 256
    Benchmark("view queries: 1000 players, expanse (all players, one tick)", configuration: configuration) { benchmark in
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
