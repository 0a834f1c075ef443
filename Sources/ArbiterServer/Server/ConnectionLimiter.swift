import NIOConcurrencyHelpers
import NIOCore

/// The server's `ConnectionTable`, shared by every event loop: checks each accepted channel
/// before any handler is set up, closes the refused (and evicted) ones and counts them.
final class ConnectionLimiter: Sendable {
    private let table: NIOLockedValueBox<ConnectionTable<any Channel>>
    private let metrics: TransportMetrics
    private let limitsLoopbackPerAddress: Bool

    init(maxConnections: Int, maxPerAddress: Int, limitsLoopbackPerAddress: Bool, metrics: TransportMetrics) {
        self.table = NIOLockedValueBox(ConnectionTable(maxConnections: maxConnections, maxPerAddress: maxPerAddress))
        self.limitsLoopbackPerAddress = limitsLoopbackPerAddress
        self.metrics = metrics
    }

    /// The connection's id, or nil when it was refused (and closed).
    func admit(_ channel: any Channel) -> UInt64? {
        let address = channel.remoteAddress?.ipAddress ?? "?"
        let limited = self.limitsLoopbackPerAddress || !Self.isLoopback(address)
        switch self.table.withLockedValue({ $0.admit(address: address, handle: channel, limitedPerAddress: limited) }) {
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

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
