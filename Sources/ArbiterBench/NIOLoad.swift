import ArbiterClient
import ArbiterProtocol
import ArenaBot
import Foundation
import NIOCore
import NIOPosix

/// The original load client (`--client nio`): full `ArbiterSession`s on NIO event loops, each
/// decoding every Snapshot and steering with `BotBrain`. Kept to compare against the lean one.
final class NIOLoad: LoadDriver {
    /// Connects started per pacing step; 200 per second keeps the accept queue short.
    static let connectsPerStep = 20
    static let stepDelay: Duration = .milliseconds(100)

    private let group: MultiThreadedEventLoopGroup
    private let loops: [LoopBots]

    init(port: Int) throws {
        let threads = max(1, min(2, System.coreCount))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let url = WebSocketURL(host: "127.0.0.1", port: port, path: "/play")
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        self.group = group
        loops = (0..<threads).map { _ in LoopBots(loop: group.next(), address: address, url: url) }
    }

    func connect(clients: Int) async throws {
        var started = 0
        while started < clients {
            let batch = min(Self.connectsPerStep, clients - started)
            for i in started..<(started + batch) {
                let bots = loops[i % loops.count]
                bots.loop.execute { bots.addBot(index: i) }
            }
            started += batch
            try await Task.sleep(for: Self.stepDelay)
        }
    }

    func playing() async throws -> Int {
        var total = 0
        for bots in loops { total += try await bots.loop.submit { bots.playingCount }.get() }
        return total
    }

    func snapshotRate() async throws -> Double {
        let first = loops[0]
        return try await first.loop.submit { first.snapshotRate }.get()
    }

    func startWindow() async throws {
        for bots in loops { try await bots.loop.submit { bots.startWindow() }.get() }
    }

    func endWindow() async throws -> LoadCounters {
        let merged = SessionMetrics()
        var baseline = WindowBaseline()
        for bots in loops {
            let (metrics, base) = try await bots.loop.submit { bots.endWindow() }.get()
            merged.merge(metrics.value)
            baseline.add(base)
        }
        var counters = LoadCounters()
        counters.snapshotsReceived = merged.snapshotsReceived - baseline.snapshotsReceived
        counters.snapshotsMissed = merged.snapshotsMissed - baseline.snapshotsMissed
        counters.inputsSent = merged.inputsSent - baseline.inputsSent
        counters.inputAck = merged.inputAckLatency
        counters.joins = merged.joins
        counters.connectFailures = merged.connectFailures
        counters.kicks = merged.kicks
        counters.closed = merged.drops
        counters.protocolErrors = merged.decodeErrors
        return counters
    }

    func stop() async {
        for bots in loops { try? await bots.loop.submit { bots.stopAll() }.get() }
        try? await Task.sleep(for: .milliseconds(300))
        try? await group.shutdownGracefully()
    }
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
