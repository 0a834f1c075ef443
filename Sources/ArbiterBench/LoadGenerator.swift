import Foundation

/// The client side of one capacity run: `clients` bots joined at a steady pace, then a warm-up,
/// then a measured window. Talks to the parent `CapacityBenchmark` over stdout: `WINDOW_START`,
/// `WINDOW_END`, then `RESULT <json>`. Stops itself after a hard deadline even if nobody reads.
public enum LoadGenerator {
    public enum Client: String, Sendable, CaseIterable {
        /// Raw epoll sockets, Snapshot headers only (`LeanLoad`): cheap enough to play 1,000
        /// clients next to the server on two cores.
        case lean
        /// Full `ArbiterSession`s on NIO (`NIOLoad`).
        case nio
    }

    /// When the lean bots send their Inputs.
    public enum InputPacing: String, Sendable, CaseIterable {
        /// Steered by `InputPacer` from each Snapshot's `inputBuffer`, as Protocol/README.md
        /// §5.1 asks of a client: Inputs wait on the server about a tick, not up to T.
        case paced
        /// Exactly one per tick of the load's clock, whatever the server reports (the load
        /// generator before the pacer; for comparison).
        case fixed
    }

    public struct Options: Sendable {
        public var port: Int
        public var clients: Int
        public var warmUp = 3.0
        public var window = 10.0
        public var client = Client.lean
        public var seed: UInt64 = 1
        /// Every K-th lean bot decodes every message with the generated codec (0: none).
        public var fullDecodeEvery = 50
        /// Lean client threads (nil: one).
        public var threads: Int?
        /// Lean client: the tick is split in this many phases, each sending a share of the inputs.
        public var phasesPerTick = 4
        public var inputPacing = InputPacing.paced

        public init(port: Int, clients: Int) {
            self.port = port
            self.clients = clients
        }
    }

    public static func run(_ options: Options) async throws {
        let deadline = options.warmUp + options.window + Double(options.clients) / 100 + 90
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: deadline)
            FileHandle.standardError.write(Data("arbiter-bench load: deadline passed, exiting\n".utf8))
            exit(3)
        }
        CapacityBenchmark.raiseFileLimit()
        let driver: any LoadDriver
        switch options.client {
        case .nio: driver = try NIOLoad(port: options.port)
        case .lean:
            #if canImport(Glibc)
            driver = LeanLoad(
                port: options.port, clients: options.clients, seed: options.seed, fullDecodeEvery: options.fullDecodeEvery,
                threads: options.threads, phasesPerTick: options.phasesPerTick,
                pacing: options.inputPacing == .paced)
            #else
            throw BenchError("the lean load client needs Linux (epoll); use --client nio")
            #endif
        }
        let clients = options.clients

        // Join at a steady pace, then wait until everyone is playing (or give up after a while).
        try await driver.connect(clients: clients)
        let joinDeadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < joinDeadline {
            if try await driver.playing() >= clients { break }
            try await Task.sleep(for: .milliseconds(200))
        }

        try await Task.sleep(for: .seconds(options.warmUp))
        let playingAtStart = try await driver.playing()
        emit("WINDOW_START")
        let cpuStart = CPUTimes.now()
        try await driver.startWindow()
        let windowStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(options.window))
        emit("WINDOW_END")
        let counters = try await driver.endWindow()
        let elapsed = ContinuousClock.now - windowStart
        let cpu = CPUTimes.now() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let snapshotRate = try await driver.snapshotRate()
        let result = LoadResult(
            clients: clients, playing: playingAtStart, windowSeconds: seconds,
            snapshotsReceived: counters.snapshotsReceived,
            snapshotsExpected: Double(playingAtStart) * seconds * snapshotRate,
            snapshotsMissed: counters.snapshotsMissed,
            inputsSent: counters.inputsSent,
            drops: counters.closed,
            inputAckP50Ms: Double(counters.inputAck.percentile(50)) / 1e6,
            inputAckP99Ms: Double(counters.inputAck.percentile(99)) / 1e6,
            inputAckMaxMs: Double(counters.inputAck.max) / 1e6,
            inputAckSamples: counters.inputAck.count,
            joins: counters.joins, connectFailures: counters.connectFailures, kicks: counters.kicks, closed: counters.closed,
            client: options.client.rawValue, inputsDropped: counters.inputsDropped, protocolErrors: counters.protocolErrors,
            fullDecodes: counters.fullDecodes, userCPUSeconds: cpu.user, systemCPUSeconds: cpu.system,
            queuedInputsMean: options.client == .lean && counters.snapshotsReceived > 0 ? Double(counters.queuedInputs) / Double(counters.snapshotsReceived) : .nan,
            holds: counters.holds)
        let json = try JSONEncoder().encode(result)
        emit("RESULT " + String(decoding: json, as: UTF8.self))
        await driver.stop()
    }

    private static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// What `LoadGenerator` needs from a client implementation. Calls come from one task, in order.
protocol LoadDriver: AnyObject {
    /// Starts every client at the pacing rate; returns once the last connect has started.
    func connect(clients: Int) async throws
    func playing() async throws -> Int
    /// Snapshots per second the server promised in Welcome (0 before anyone joined).
    func snapshotRate() async throws -> Double
    func startWindow() async throws
    /// The window's counters (connection counts are totals since the start).
    func endWindow() async throws -> LoadCounters
    func stop() async
}

struct LoadResult: Codable, Sendable {
    var clients: Int
    var playing: Int
    var windowSeconds: Double
    var snapshotsReceived: Int
    var snapshotsExpected: Double
    var snapshotsMissed: Int
    var inputsSent: Int
    /// Connections that ended without the load generator stopping them (same as `closed`).
    var drops: Int
    var inputAckP50Ms: Double
    var inputAckP99Ms: Double
    var inputAckMaxMs: Double
    var inputAckSamples: Int
    /// Since the start, not just the window: why fewer than `clients` may be playing.
    var joins: Int
    var connectFailures: Int
    var kicks: Int
    var closed: Int
    var client: String
    /// Inputs not sent because the socket would have blocked (lean client).
    var inputsDropped: Int
    var protocolErrors: Int
    /// Snapshots decoded completely by the generated codec in the window (lean client's sample).
    var fullDecodes: Int
    /// The load process's own CPU over the window, split: most of system time is the loopback
    /// TCP path, which no client design avoids.
    var userCPUSeconds: Double
    var systemCPUSeconds: Double
    /// Mean `Snapshot.inputBuffer`: how many of a bot's inputs wait on the server after a tick.
    var queuedInputsMean: Double
    /// Snapshots after which the server had held a bot's ship (lean client).
    var holds: Int
}

/// User and system CPU of this process (getrusage).
struct CPUTimes {
    var user: Double
    var system: Double

    static func now() -> CPUTimes {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return CPUTimes(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }

    static func - (a: CPUTimes, b: CPUTimes) -> CPUTimes {
        CPUTimes(user: a.user - b.user, system: a.system - b.system)
    }
}
