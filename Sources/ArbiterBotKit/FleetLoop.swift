import ArbiterClient
import NIOCore

/// Counters a loop's bots share; summed over loops for a sample.
struct FleetCounters: Sendable {
    var connected = 0
    var joinedBots = 0
    var failedConnects = 0
    var protocolErrors = 0
    /// Unexpected disconnects by the close code the server sent ("none": no close frame).
    var disconnects: [String: Int] = [:]
    var kicks: [String: Int] = [:]
    /// Time all bots spent joined, for per-bot rates when bots arrive over a ramp.
    var playedNanoseconds: UInt64 = 0
    var firstError: String?

    mutating func add(_ other: FleetCounters) {
        connected += other.connected
        joinedBots += other.joinedBots
        failedConnects += other.failedConnects
        protocolErrors += other.protocolErrors
        disconnects.merge(other.disconnects, uniquingKeysWith: +)
        kicks.merge(other.kicks, uniquingKeysWith: +)
        playedNanoseconds += other.playedNanoseconds
        if firstError == nil { firstError = other.firstError }
    }
}

/// The bots of one event loop with the ticker and metrics they share. Confined to `loop`.
final class FleetLoop: @unchecked Sendable {
    let loop: any EventLoop
    let ticker: SessionTicker
    let metrics: SessionMetrics
    var players: [BotPlayer] = []
    var counters = FleetCounters()
    /// Set by `BotFleet.stop`: bots whose ramp slot comes later never start.
    var stopping = false
    /// Histograms up to the previous sample; the live ones in `metrics` hold one interval.
    private var ackTotal = LatencyHistogram()
    private var gapTotal = LatencyHistogram()

    init(loop: any EventLoop, tickRate: Int, timelineOrigin: UInt64) {
        self.loop = loop
        self.metrics = SessionMetrics(timelineOrigin: timelineOrigin)
        self.ticker = SessionTicker(eventLoop: loop, tickRate: tickRate)
    }

    /// Reads everything and starts a new interval. On `loop`.
    func collect() -> LoopSample {
        loop.preconditionInEventLoop()
        let now = NIODeadline.now().uptimeNanoseconds
        var transport = metrics.closedTransport
        var counters = self.counters
        for player in players {
            transport += player.session.liveTransport
            counters.playedNanoseconds += player.playingFor(now: now)
        }
        let sample = LoopSample(
            counters: counters, transport: transport, snapshots: metrics.snapshotsReceived,
            snapshotsMissed: metrics.snapshotsMissed, inputs: metrics.inputsSent, decodeErrors: metrics.decodeErrors,
            intervalAck: metrics.inputAckLatency, intervalGap: metrics.snapshotGap,
            ackTotal: { var h = ackTotal; h.merge(metrics.inputAckLatency); return h }(),
            gapTotal: { var h = gapTotal; h.merge(metrics.snapshotGap); return h }(),
            roundTrip: metrics.roundTrip, skippedTicks: ticker.skippedTicks,
            netcode: metrics.netcode,
            timeline: metrics.timeline)
        ackTotal = sample.ackTotal
        gapTotal = sample.gapTotal
        metrics.inputAckLatency.reset()
        metrics.snapshotGap.reset()
        return sample
    }
}

/// What one loop reported at one moment.
struct LoopSample: Sendable {
    var counters: FleetCounters
    var transport: WebSocketStatistics
    var snapshots: Int
    var snapshotsMissed: Int
    var inputs: Int
    var decodeErrors: Int
    var intervalAck: LatencyHistogram
    var intervalGap: LatencyHistogram
    var ackTotal: LatencyHistogram
    var gapTotal: LatencyHistogram
    var roundTrip: LatencyHistogram
    var skippedTicks: Int
    var netcode: NetcodeCounts
    var timeline: EventTimeline
}
