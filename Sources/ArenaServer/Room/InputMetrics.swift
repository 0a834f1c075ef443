import ArbiterServer
import CoreMetrics

/// What the players' input buffers did (Protocol/README.md §12), summed over every room; made
/// from the server's registry, so they show in `GET /metrics` beside the engine's.
public struct InputMetrics: Sendable {
    /// Player-ticks with no input queued: the ship held.
    public let held: CoreMetrics.Counter
    /// Extra inputs simulated in a tick to drain a backlog.
    public let caughtUp: CoreMetrics.Counter
    /// Inputs refused by a full buffer (4 s of them; the session's rate limit closes a flooding
    /// client before that, so this stays 0 for real clients).
    public let dropped: CoreMetrics.Counter
    /// Connections closed for sending inputs far faster than the tick rate (4008).
    public let floods: CoreMetrics.Counter

    public init(metrics: ServerMetrics) {
        held = CoreMetrics.Counter(label: "arbiter_inputs_held_total", factory: metrics.factory)
        caughtUp = CoreMetrics.Counter(label: "arbiter_inputs_caught_up_total", factory: metrics.factory)
        dropped = CoreMetrics.Counter(label: "arbiter_inputs_dropped_total", factory: metrics.factory)
        floods = CoreMetrics.Counter(label: "arbiter_input_flood_disconnects_total", factory: metrics.factory)
    }
}
