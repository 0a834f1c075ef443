import CoreMetrics
import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// Every metric the server exports, created against one Prometheus registry per server
/// instance (not the process-wide `MetricsSystem`, so several servers can run in one test
/// process). `GET /metrics` renders `registry`.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let transport: TransportMetrics
    public let rooms: RoomMetrics
    /// For metrics a plugged-in game adds itself (e.g. players by team).
    public let factory: PrometheusMetricsFactory
    private let process: ProcessMetrics

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Ticks last microseconds to milliseconds; the default buckets start at 5 ms.
        let tickBuckets: [Duration] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2), .milliseconds(4), .milliseconds(8),
            .milliseconds(16), .milliseconds(33), .milliseconds(100),
        ]
        factory.durationHistogramBuckets[RoomMetrics.tickDurationLabel] = tickBuckets
        factory.durationHistogramBuckets[RoomMetrics.tickLatenessLabel] = tickBuckets
        self.registry = registry
        self.factory = factory
        self.transport = TransportMetrics(factory: factory)
        self.rooms = RoomMetrics(factory: factory)
        self.process = ProcessMetrics(registry: registry)
    }

    /// The Prometheus text exposition of every metric, process figures read fresh.
    public func render() -> String {
        self.process.update()
        return self.registry.emitToString()
    }
}

/// Socket-level counters, shared by all connections (swift-metrics handlers are thread-safe).
public final class TransportMetrics: Sendable {
    public let connections: CoreMetrics.Meter
    public let messagesIn: CoreMetrics.Counter
    public let messagesOut: CoreMetrics.Counter
    public let bytesIn: CoreMetrics.Counter
    public let bytesOut: CoreMetrics.Counter
    public let slowClientDisconnects: CoreMetrics.Counter
    private let factory: PrometheusMetricsFactory
    /// Counters with one label, made on first use, by label and value.
    private let labelled: NIOLockedValueBox<[String: CoreMetrics.Counter]>

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
        self.connections = CoreMetrics.Meter(label: "arbiter_websocket_connections", factory: factory)
        self.messagesIn = CoreMetrics.Counter(label: "arbiter_websocket_messages_total", dimensions: [("direction", "in")], factory: factory)
        self.messagesOut = CoreMetrics.Counter(label: "arbiter_websocket_messages_total", dimensions: [("direction", "out")], factory: factory)
        self.bytesIn = CoreMetrics.Counter(label: "arbiter_websocket_bytes_total", dimensions: [("direction", "in")], factory: factory)
        self.bytesOut = CoreMetrics.Counter(label: "arbiter_websocket_bytes_total", dimensions: [("direction", "out")], factory: factory)
        self.slowClientDisconnects = CoreMetrics.Counter(label: "arbiter_slow_client_disconnects_total", factory: factory)
        self.labelled = NIOLockedValueBox([:])
    }

    /// Counts a connection failed for `kind` (`text_frame`, `too_large`, `malformed_frame`, ...);
    /// the game layer uses the same counter for its own decode errors.
    public func protocolError(kind: String) {
        self.increment("arbiter_protocol_errors_total", [("kind", kind)])
    }

    /// Counts an HTTP request refused with `status` (400, 403, 413, 414, 426, 431) for `kind`.
    func httpRejected(status: UInt, kind: String) {
        self.increment("arbiter_http_rejected_total", [("status", "\(status)"), ("kind", kind)])
    }

    /// Counts a connection closed by a timeout in `state` (`first_byte`, `request`).
    func timedOut(state: String) {
        self.increment("arbiter_connection_timeouts_total", [("state", state)])
    }

    /// Counts a connection refused at accept (`global`, `per_address`) or evicted to make room.
    func connectionRefused(reason: String) {
        self.increment("arbiter_connections_refused_total", [("reason", reason)])
    }

    private func increment(_ label: String, _ dimensions: [(String, String)]) {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        let counter = self.labelled.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: self.factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}

/// Tick-loop and room metrics. Histograms and counters are labelled by room where that helps
/// find a hot room; gauges are totals.
public final class RoomMetrics: Sendable {
    static let tickDurationLabel = "arbiter_tick_duration_seconds"
    static let tickLatenessLabel = "arbiter_tick_lateness_seconds"

    public let rooms: CoreMetrics.Meter
    public let players: CoreMetrics.Meter
    public let tickDuration: CoreMetrics.Timer
    public let tickLateness: CoreMetrics.Timer
    public let overruns: CoreMetrics.Counter
    public let skippedTicks: CoreMetrics.Counter
    public let snapshotsSuperseded: CoreMetrics.Counter
    public let inputsRejected: CoreMetrics.Counter
    /// Tick threads started, by the priority the kernel granted (`TickPriority`).
    let tickThreadsStarted: [TickPriority: CoreMetrics.Counter]

    init(factory: PrometheusMetricsFactory) {
        self.rooms = CoreMetrics.Meter(label: "arbiter_rooms", factory: factory)
        self.players = CoreMetrics.Meter(label: "arbiter_players", factory: factory)
        self.tickDuration = CoreMetrics.Timer(label: Self.tickDurationLabel, factory: factory)
        self.tickLateness = CoreMetrics.Timer(label: Self.tickLatenessLabel, factory: factory)
        self.overruns = CoreMetrics.Counter(label: "arbiter_tick_overruns_total", factory: factory)
        self.skippedTicks = CoreMetrics.Counter(label: "arbiter_ticks_skipped_total", factory: factory)
        self.snapshotsSuperseded = CoreMetrics.Counter(label: "arbiter_snapshots_superseded_total", factory: factory)
        self.inputsRejected = CoreMetrics.Counter(label: "arbiter_inputs_rejected_total", factory: factory)
        self.tickThreadsStarted = Dictionary(uniqueKeysWithValues: TickPriority.allCases.map {
            ($0, CoreMetrics.Counter(label: "arbiter_tick_threads_started_total", dimensions: [("priority", $0.rawValue)], factory: factory))
        })
    }
}
