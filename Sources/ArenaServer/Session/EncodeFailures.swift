import ArbiterProtocol
import CoreMetrics
import Logging

/// What a session does when one of its own messages fails to encode. The game builds its wire
/// values with the generated `saturating(...)` factories and cuts arrays to the generated
/// `Limits`, so no value can be past a bound: a failure is a server bug, and it is loud, never a
/// quietly skipped snapshot. It logs at error level, counts `arbiter_encode_failures_total`,
/// and stops debug builds (`assertionFailure`) where tests and development would otherwise
/// miss it.
struct EncodeFailures: Sendable {
    static let counterLabel = "arbiter_encode_failures_total"

    let logger: Logger
    let counter: CoreMetrics.Counter

    init(logger: Logger, factory: any MetricsFactory) {
        self.logger = logger
        self.counter = CoreMetrics.Counter(label: Self.counterLabel, factory: factory)
    }

    /// `message` names the message (`Snapshot`, `Welcome`, ...) for the log.
    func report(_ error: WireError, encoding message: String, player: UInt32?) {
        counter.increment()
        logger.error(
            "could not encode \(message): \(error)",
            metadata: ["message": "\(message)", "player": "\(player.map(String.init) ?? "none")"])
        assertionFailure("\(message) failed to encode: \(error)")
    }
}
