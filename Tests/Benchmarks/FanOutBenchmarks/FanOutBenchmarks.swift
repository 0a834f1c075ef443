import Benchmark
import BenchmarkFixtures

// The per-client work of the snapshot fan-out (`FanOut`, in BenchmarkFixtures). The target is
// 0 allocations per client per tick; the count is gated in CI like the others (CodecBenchmarks
// explains the gate). Time is printed, not gated.

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
    // Arrays per frame (not per client), so the count is stored, not 0: 9, the frame, its wire
    // entities, the SharedFrame and its six arrays (change ticks, slot index, unchanged bitmap,
    // update spans, and the update bits with the words their BitWriter gathers them in; 4 before
    // the SharedFrame, which saves each client more than half its work).
    Benchmark(
        "frame-publish-expanse-1000-players",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 10,
            maxDuration: .seconds(30), maxIterations: 500,
            thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(crowd.publish())
        }
    }

    // One decoded Input's way to its player's buffer: session state machine, rate limit, the
    // room's command queue, and (after each round of 1,000) every input pushed into its buffer.
    // Buffers are not drained, so a run is bounded by the 8 inputs each player's reserved
    // storage holds: 0 allocations per input at p90 (the gate). A round's sample, where the room
    // side takes the whole queue, showed 6 for 1,000 inputs (3,007 before `Member` became a class).
    let inputs = InputPath(players: 1000)
    Benchmark(
        "input-read-1000-players",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 100,
            maxDuration: .seconds(30), maxIterations: inputs.capacity - 100,
            thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])])
    ) { benchmark in
        for _ in benchmark.scaledIterations { inputs.input() }
    }

    // One Input frame per read through the game socket's read side (parse, unmask into the loop's
    // buffer, hand up), as the server installs it after the upgrade: 0 allocations per frame.
    let frames = try! InputFrames(players: 1000, throughInputPath: false)
    Benchmark("input-frame-read", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { frames.input() }
        blackHole(frames.bytes)
    }
}
