import NIOCore

/// Measurements shared by the sessions of one event loop: a thousand bots feed a handful of
/// histograms instead of owning a thousand. Event loop only; merge across loops with `merge`.
public final class SessionMetrics {
    /// From sending Input seq N to the first Snapshot whose ackSeq >= N.
    public var inputAckLatency = LatencyHistogram()
    /// Time between consecutive Snapshots on one connection.
    public var snapshotGap = LatencyHistogram()
    /// Ping → Pong round trip.
    public var roundTrip = LatencyHistogram()
    /// Connect plus WebSocket upgrade.
    public var connectTime = LatencyHistogram()

    public var inputsSent = 0
    public var snapshotsReceived = 0
    /// Snapshots that never came: tick advanced by more than one snapshot interval.
    public var snapshotsMissed = 0
    /// Inputs whose ack was never seen (the pending window overflowed or the connection dropped).
    public var inputsUnacked = 0
    public var joins = 0
    public var resumes = 0
    /// Resume attempts the server answered with a new player instead.
    public var resumeRejected = 0
    public var drops = 0
    public var kicks = 0
    public var connectFailures = 0
    public var decodeErrors = 0
    /// Own-ship corrections and remote ships' freezes, holds and jumps.
    public var netcode = NetcodeCounts()
    /// The same events (and snapshots) over time.
    public var timeline: EventTimeline
    /// Transport counters of connections that have ended; live ones are in each session.
    public var closedTransport = WebSocketStatistics()

    /// `timelineOrigin`: uptime (ns) where the timeline starts; loops that will be merged
    /// should share one.
    public init(timelineOrigin: UInt64 = NIODeadline.now().uptimeNanoseconds) {
        self.timeline = EventTimeline(origin: timelineOrigin)
    }

    public func merge(_ other: SessionMetrics) {
        self.inputAckLatency.merge(other.inputAckLatency)
        self.snapshotGap.merge(other.snapshotGap)
        self.roundTrip.merge(other.roundTrip)
        self.connectTime.merge(other.connectTime)
        self.inputsSent += other.inputsSent
        self.snapshotsReceived += other.snapshotsReceived
        self.snapshotsMissed += other.snapshotsMissed
        self.inputsUnacked += other.inputsUnacked
        self.joins += other.joins
        self.resumes += other.resumes
        self.resumeRejected += other.resumeRejected
        self.drops += other.drops
        self.kicks += other.kicks
        self.connectFailures += other.connectFailures
        self.decodeErrors += other.decodeErrors
        self.netcode += other.netcode
        self.timeline.merge(other.timeline)
        self.closedTransport += other.closedTransport
    }
}
