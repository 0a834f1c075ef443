import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

/// The GameServer state Agones last reported (`GET /gameserver`, `/watch/gameserver`):
/// `Ready`, `Allocated`, `Shutdown`, … Shown on `/readyz` and as `arbiter_agones_allocated`,
/// so an operator sees which instances hold an allocation.
public final class AgonesStatus: Sendable {
    private let current = NIOLockedValueBox<String?>(nil)
    private let metrics: AgonesMetrics

    init(metrics: AgonesMetrics) {
        self.metrics = metrics
    }

    /// nil until the gateway first answered.
    public var state: String? {
        self.current.withLockedValue { $0 }
    }

    public var isAllocated: Bool { self.state == "Allocated" }

    /// Records `state`; returns the previous one.
    @discardableResult
    func update(_ state: String) -> String? {
        let previous = self.current.withLockedValue { current in
            defer { current = state }
            return current
        }
        self.metrics.allocated.set(state == "Allocated" ? 1 : 0)
        return previous
    }
}

/// `arbiter_agones_calls_total{call,result}` (result `ok`, `error`, `timeout`) and
/// `arbiter_agones_allocated` (1 while Agones has this instance Allocated).
final class AgonesMetrics: Sendable {
    let allocated: CoreMetrics.Meter
    private let factory: PrometheusMetricsFactory
    private let counters = NIOLockedValueBox<[String: CoreMetrics.Counter]>([:])

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
        self.allocated = CoreMetrics.Meter(label: "arbiter_agones_allocated", factory: factory)
        self.allocated.set(0)
    }

    func call(_ call: String, result: String) {
        let key = call + "|" + result
        let counter = self.counters.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "arbiter_agones_calls_total", dimensions: [("call", call), ("result", result)], factory: self.factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}
