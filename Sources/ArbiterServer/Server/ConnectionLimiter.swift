import NIOConcurrencyHelpers
import NIOCore

/// The server's `ConnectionTable`, shared by every event loop: checks each accepted channel
/// before any handler is set up, closes the refused (and evicted) ones and counts them.
final class ConnectionLimiter: Sendable {
    private let table: NIOLockedValueBox<ConnectionTable<any Channel>>
    private let metrics: TransportMetrics

    init(maxConnections: Int, maxPerAddress: Int, metrics: TransportMetrics) {
        self.table = NIOLockedValueBox(ConnectionTable(maxConnections: maxConnections, maxPerAddress: maxPerAddress))
        self.metrics = metrics
    }

    /// The connection's id, or nil when it was refused (and closed).
    func admit(_ channel: any Channel) -> UInt64? {
        let address = channel.remoteAddress?.ipAddress ?? "?"
        switch self.table.withLockedValue({ $0.admit(address: address, handle: channel) }) {
        case .refused(let reason):
            self.metrics.connectionRefused(reason: reason.rawValue)
            channel.close(promise: nil)
            return nil
        case .admitted(let id, let evicted):
            if let evicted {
                self.metrics.connectionRefused(reason: "evicted_idle")
                evicted.close(promise: nil)
            }
            channel.closeFuture.whenComplete { _ in
                self.table.withLockedValue { _ = $0.remove(id: id) }
            }
            return id
        }
    }

    func markInUse(id: UInt64) {
        self.table.withLockedValue { $0.markInUse(id: id) }
    }
}
