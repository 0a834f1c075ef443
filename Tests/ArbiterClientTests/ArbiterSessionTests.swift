import ArbiterProtocol
import NIOCore
import NIOPosix
import Testing

@testable import ArbiterClient

@Suite("ArbiterSession against a fake game server", .timeLimit(.minutes(1)))
struct ArbiterSessionTests {
    @Test("joins, sends numbered inputs every tick, measures input→ack latency, gaps and round trips")
    func playsAndMeasures() async throws {
        let server = try await FakeGameServer.start()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let url = try WebSocketURL.gameSocket(forServerAddress: "http://127.0.0.1:\(server.port)", room: "test")
        var configuration = ArbiterSession.Configuration(name: "bot-1")
        configuration.pingInterval = .milliseconds(20)
        let report = try await TestPlayer.play(url: url, configuration: configuration, on: loop, stopAfterSnapshots: 30)

        #expect(report.welcomes == [false])
        #expect(report.mapName == "box")
        #expect(report.metrics.joins == 1)
        #expect(report.metrics.snapshotsReceived >= 30)
        #expect(report.metrics.inputsSent > 0)
        #expect(report.metrics.inputAckLatency.count > 0)
        #expect(report.metrics.inputAckLatency.max < 1_000_000_000)
        #expect(report.metrics.snapshotGap.count == report.metrics.snapshotsReceived - 1)
        #expect(report.metrics.roundTrip.count > 0)
        #expect(report.metrics.decodeErrors == 0)

        var seqs: [UInt32] = []
        var hello: GameEvent?
        for await event in server.events {
            switch event {
            case .hello: hello = event
            case .input(let seq): seqs.append(seq)
            default: break
            }
            if seqs.last == report.lastSeq { break }
        }
        #expect(hello == .hello(name: "bot-1", resuming: false, hashMatches: true))
        #expect(seqs == Array(1...UInt32(seqs.count)), "consecutive sequence numbers from 1")
        try await server.stop()
    }

    @Test("after a drop the session resumes with its token and keeps numbering inputs")
    func resumesAfterDrop() async throws {
        let server = try await FakeGameServer.start(dropAfter: 5)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let url = WebSocketURL(host: "127.0.0.1", port: server.port, path: "/play")
        var configuration = ArbiterSession.Configuration(name: "bot-2")
        configuration.reconnectDelay = .milliseconds(20)
        let report = try await TestPlayer.play(
            url: url, configuration: configuration, on: loop, stopAfterWelcomes: 2, stopAfterSnapshots: 5)

        #expect(report.welcomes == [false, true])
        #expect(report.metrics.drops == 1)
        #expect(report.metrics.resumes == 1)
        #expect(report.disconnects.first == false)

        var seqs: [UInt32] = []
        var hellos: [GameEvent] = []
        for await event in server.events {
            switch event {
            case .hello: hellos.append(event)
            case .input(let seq): seqs.append(seq)
            default: break
            }
            if seqs.last == report.lastSeq { break }
        }
        #expect(hellos == [
            .hello(name: "bot-2", resuming: false, hashMatches: true),
            .hello(name: "bot-2", resuming: true, hashMatches: true),
        ])
        // Inputs written into the dying connection are lost; the numbering must still go on.
        #expect(seqs.first == 1)
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "\(seqs)")
        #expect(seqs.count > 5, "inputs after the resume arrived")
        #expect(report.lastSeq > 5)
        try await server.stop()
    }
}

/// Plays until it has seen enough, then stops its session and reports; on the loop throughout.
private final class TestPlayer: ArbiterSessionDelegate {
    struct Report: Sendable {
        var welcomes: [Bool] = []
        var mapName: String?
        var disconnects: [Bool] = []
        var lastSeq: UInt32 = 0
        var metrics: MetricsCopy = MetricsCopy()
    }

    /// The Sendable parts of SessionMetrics the tests look at.
    struct MetricsCopy: Sendable {
        var joins = 0, resumes = 0, drops = 0, inputsSent = 0, snapshotsReceived = 0, decodeErrors = 0
        var inputAckLatency = LatencyHistogram(), snapshotGap = LatencyHistogram(), roundTrip = LatencyHistogram()
    }

    let done: EventLoopPromise<Report>
    weak var session: ArbiterSession?
    private var report = Report()
    private let stopAfterWelcomes: Int
    private let stopAfterSnapshots: Int
    private var snapshotsSinceWelcome = 0
    /// The first seq sent on the current connection; the player plays until the server has
    /// acknowledged a few inputs past it, so the test does not depend on timer luck.
    private var firstSeqOfConnection: UInt32 = 1
    private var finished = false

    init(loop: any EventLoop, stopAfterWelcomes: Int = 1, stopAfterSnapshots: Int) {
        self.done = loop.makePromise()
        self.stopAfterWelcomes = stopAfterWelcomes
        self.stopAfterSnapshots = stopAfterSnapshots
    }

    /// Runs one session on `loop` with a new player as its delegate, until the player reports.
    static func play(
        url: WebSocketURL, configuration: ArbiterSession.Configuration, on loop: any EventLoop,
        stopAfterWelcomes: Int = 1, stopAfterSnapshots: Int
    ) async throws -> Report {
        try await loop.flatSubmit {
            let player = TestPlayer(loop: loop, stopAfterWelcomes: stopAfterWelcomes, stopAfterSnapshots: stopAfterSnapshots)
            let session = ArbiterSession(
                url: url, configuration: configuration,
                ticker: SessionTicker(eventLoop: loop, tickRate: 60), metrics: SessionMetrics())
            session.delegate = player
            player.session = session
            session.start()
            // The session holds its delegate weakly; keep the player until it reports.
            player.done.futureResult.assumeIsolated().whenComplete { _ in withExtendedLifetime(player) {} }
            return player.done.futureResult
        }.get()
    }

    func session(_ session: ArbiterSession, didJoin welcome: Welcome) {
        self.report.welcomes.append(welcome.resumed)
        self.snapshotsSinceWelcome = 0
        self.firstSeqOfConnection = session.nextSeq
    }

    func session(_ session: ArbiterSession, didReceive mapInfo: MapInfo) {
        self.report.mapName = mapInfo.name
    }

    func session(_ session: ArbiterSession, willSend input: inout Input) {
        input.moveX = 127
        input.aim = 1.5
    }

    func session(_ session: ArbiterSession, didReceive snapshot: Snapshot) {
        self.snapshotsSinceWelcome += 1
        guard !self.finished, self.report.welcomes.count >= self.stopAfterWelcomes,
            self.snapshotsSinceWelcome >= self.stopAfterSnapshots,
            snapshot.ackSeq >= self.firstSeqOfConnection + 2
        else { return }
        self.finished = true
        let metrics = session.metrics
        self.report.metrics = MetricsCopy(
            joins: metrics.joins, resumes: metrics.resumes, drops: metrics.drops, inputsSent: metrics.inputsSent,
            snapshotsReceived: metrics.snapshotsReceived, decodeErrors: metrics.decodeErrors,
            inputAckLatency: metrics.inputAckLatency, snapshotGap: metrics.snapshotGap, roundTrip: metrics.roundTrip)
        self.report.lastSeq = session.nextSeq - 1
        session.stop()
        self.done.succeed(self.report)
    }

    func session(_ session: ArbiterSession, didDisconnect info: WebSocketCloseInfo, willReconnect: Bool) {
        self.report.disconnects.append(!willReconnect)
    }

    func session(_ session: ArbiterSession, connectFailed error: any Error, willRetry: Bool) {
        guard !willRetry, !self.finished else { return }
        self.finished = true
        self.done.fail(error)
    }
}
