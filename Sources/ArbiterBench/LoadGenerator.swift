import ArbiterClient
import ArbiterProtocol
import ArenaBot
import Foundation
import NIOCore
import NIOPosix

/// The client side of one capacity run: `clients` fighting bots (`BotBrain`, an Input every
/// tick through `SessionTicker`), joined at a steady pace, then a warm-up, then a measured window.
/// Talks to the parent `CapacityBenchmark` over stdout: `WINDOW_START`, `WINDOW_END`, then
/// `RESULT <json>`. Stops itself after a hard deadline even if nobody reads.
public enum LoadGenerator {
    /// Connects started per pacing step; 200 per second keeps the accept queue short.
    static let connectsPerStep = 20
    static let stepDelay: Duration = .milliseconds(100)

    public static func run(port: Int, clients: Int, warmUp: Double, window: Double) async throws {
        let deadline = warmUp + window + Double(clients) / 100 + 90
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: deadline)
            FileHandle.standardError.write(Data("arbiter-bench load: deadline passed, exiting\n".utf8))
            exit(3)
        }
        let threads = max(1, min(2, System.coreCount))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let url = WebSocketURL(host: "127.0.0.1", port: port, path: "/play")
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let loops = (0..<threads).map { _ in LoopBots(loop: group.next(), address: address, url: url) }

        // Join at a steady pace, then wait until everyone is playing (or give up after a while).
        var started = 0
        while started < clients {
            let batch = min(connectsPerStep, clients - started)
            for i in started..<(started + batch) {
                let bots = loops[i % loops.count]
                bots.loop.execute { bots.addBot(index: i) }
            }
            started += batch
            try await Task.sleep(for: stepDelay)
        }
        let joinDeadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < joinDeadline {
            if try await playing(loops) >= clients { break }
            try await Task.sleep(for: .milliseconds(200))
        }

        try await Task.sleep(for: .seconds(warmUp))
        let playingAtStart = try await playing(loops)
        emit("WINDOW_START")
        for bots in loops { try await bots.loop.submit { bots.startWindow() }.get() }
        let windowStart = ContinuousClock.now
        try await Task.sleep(for: .seconds(window))
        emit("WINDOW_END")
        let elapsed = ContinuousClock.now - windowStart
        let merged = SessionMetrics()
        var baseline = WindowBaseline()
        for bots in loops {
            let (metrics, base) = try await bots.loop.submit { bots.endWindow() }.get()
            merged.merge(metrics.value)
            baseline.add(base)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let snapshotRate = try await loops[0].loop.submit { loops[0].snapshotRate }.get()
        let result = LoadResult(
            clients: clients, playing: playingAtStart, windowSeconds: seconds,
            snapshotsReceived: merged.snapshotsReceived - baseline.snapshotsReceived,
            snapshotsExpected: Double(playingAtStart) * seconds * snapshotRate,
            snapshotsMissed: merged.snapshotsMissed - baseline.snapshotsMissed,
            inputsSent: merged.inputsSent - baseline.inputsSent,
            drops: merged.drops - baseline.drops,
            inputAckP50Ms: Double(merged.inputAckLatency.percentile(50)) / 1e6,
            inputAckP99Ms: Double(merged.inputAckLatency.percentile(99)) / 1e6,
            inputAckMaxMs: Double(merged.inputAckLatency.max) / 1e6,
            inputAckSamples: merged.inputAckLatency.count,
            joins: merged.joins, connectFailures: merged.connectFailures, kicks: merged.kicks, closed: merged.drops)
        let json = try JSONEncoder().encode(result)
        emit("RESULT " + String(decoding: json, as: UTF8.self))
        for bots in loops { try? await bots.loop.submit { bots.stopAll() }.get() }
        try? await Task.sleep(for: .milliseconds(300))
        try? await group.shutdownGracefully()
    }

    private static func playing(_ loops: [LoopBots]) async throws -> Int {
        var total = 0
        for bots in loops { total += try await bots.loop.submit { bots.playingCount }.get() }
        return total
    }

    private static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

struct LoadResult: Codable, Sendable {
    var clients: Int
    var playing: Int
    var windowSeconds: Double
    var snapshotsReceived: Int
    var snapshotsExpected: Double
    var snapshotsMissed: Int
    var inputsSent: Int
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
}

/// Counters at the start of the window (the histograms are reset instead).
struct WindowBaseline: Sendable {
    var snapshotsReceived = 0
    var snapshotsMissed = 0
    var inputsSent = 0
    var drops = 0

    mutating func add(_ other: WindowBaseline) {
        snapshotsReceived += other.snapshotsReceived
        snapshotsMissed += other.snapshotsMissed
        inputsSent += other.inputsSent
        drops += other.drops
    }
}

/// Moves a loop-confined value out through a future; only read after the loop is done with it.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
}

/// The bots of one event loop, with that loop's ticker and shared metrics.
/// @unchecked: every member is touched only on `loop` (through execute/submit).
final class LoopBots: @unchecked Sendable {
    let loop: any EventLoop
    private let address: SocketAddress
    private let url: WebSocketURL
    private lazy var ticker = SessionTicker(eventLoop: loop, tickRate: 60)
    private let metrics = SessionMetrics()
    private var sessions: [ArbiterSession] = []
    private var players: [BotPlayer] = []
    private var baseline = WindowBaseline()

    init(loop: any EventLoop, address: SocketAddress, url: WebSocketURL) {
        self.loop = loop
        self.address = address
        self.url = url
    }

    func addBot(index: Int) {
        var configuration = ArbiterSession.Configuration(name: "load-\(index + 1)")
        configuration.address = address
        configuration.reconnect = false
        let session = ArbiterSession(url: url, configuration: configuration, ticker: ticker, metrics: metrics)
        let player = BotPlayer(brain: BotBrain(seed: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15, behavior: .fight))
        session.delegate = player
        sessions.append(session)
        players.append(player)
        session.start()
    }

    var playingCount: Int { sessions.reduce(0) { $0 + ($1.state == .playing ? 1 : 0) } }

    /// Snapshots per second the server promised in Welcome.
    var snapshotRate: Double {
        guard let welcome = sessions.lazy.compactMap(\.welcome).first else { return 0 }
        return Double(welcome.tickRate) / Double(welcome.snapshotInterval)
    }

    func startWindow() {
        metrics.inputAckLatency.reset()
        metrics.snapshotGap.reset()
        baseline = WindowBaseline(
            snapshotsReceived: metrics.snapshotsReceived, snapshotsMissed: metrics.snapshotsMissed,
            inputsSent: metrics.inputsSent, drops: metrics.drops)
    }

    func endWindow() -> (Handoff<SessionMetrics>, WindowBaseline) {
        let copy = SessionMetrics()
        copy.merge(metrics)
        return (Handoff(value: copy), baseline)
    }

    func stopAll() {
        for session in sessions { session.stop() }
    }
}

/// Plays like a fill bot: decides from the last snapshot, once per tick.
final class BotPlayer: ArbiterSessionDelegate {
    private var brain: BotBrain

    init(brain: BotBrain) {
        self.brain = brain
    }

    func session(_ session: ArbiterSession, didJoin welcome: Welcome) {
        session.ticker.setTickRate(welcome.tickRate)
    }

    func session(_ session: ArbiterSession, willSend input: inout Input) {
        guard let welcome = session.welcome, let snapshot = session.latestSnapshot else { return }
        let seq = input.seq
        input = brain.decide(snapshot: snapshot, ownID: welcome.playerId, map: session.mapInfo)
        input.seq = seq
    }
}
