import NIOConcurrencyHelpers
import NIOCore

/// The server's `ConnectionTable`, shared by every event loop: checks each accepted channel
/// before any handler is set up, closes the refused (and evicted) ones and counts them.
final class ConnectionLimiter: Sendable {
    struct Refused: Error {}

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
        let address = channel.remoteAddress.map(Self.addressKey) ?? "?"
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

    /// The per-address key: the IPv4 address, or the /64 prefix of an IPv6 one (one subscriber
    /// usually holds a whole /64, so single IPv6 addresses cost an attacker nothing).
    static func addressKey(_ address: SocketAddress) -> String {
        guard case .v6(let v6) = address, let ip = address.ipAddress, !ip.hasPrefix("::ffff:"), ip != "::1" else {
            return address.ipAddress ?? "?"
        }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0.prefix(8)) }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":") + "::/64"
    }
}
