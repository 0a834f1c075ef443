import Foundation
import NIOCore

/// What runs behind one WebSocket path (`/play`, `/echo`).
///
/// The transport owns framing, limits, pings, the close handshake and backpressure; a service
/// only sees whole binary (or, if it installs `onText`, text) messages on the connection's
/// event loop.
public protocol WebSocketService: Sendable {
    /// Largest message (and frame) accepted; a bigger one closes the connection with 1009.
    /// The frame decoder never buffers more than this, so it also bounds inbound memory.
    var maxMessageSize: Int { get }

    /// Called on `connection.eventLoop` once the upgrade is complete and before any message
    /// is delivered: install the callbacks here.
    func accept(_ connection: ServerWebSocket)

    /// True: replies are always written and reading pauses while the socket is full (echo).
    /// False (default): the service checks `SendResult` and drops what the peer cannot take.
    var pausesReadsWhileUnwritable: Bool { get }

    /// True (default): the transport adds a small ping to the messages it sends now and then
    /// and closes with 4005 "slow client" when its pong does not come back within the
    /// slow-client timeout (`ReadProbe`): a stalled reader is found by time, not only when the
    /// kernel buffers are full.
    var probesReading: Bool { get }
}

extension WebSocketService {
    public var pausesReadsWhileUnwritable: Bool { false }
    public var probesReading: Bool { true }
}

/// The upgrade request of a connection, as far as services care about it.
public struct WebSocketRequest: Sendable {
    /// The path without the query, e.g. `/play`.
    public var path: String
    /// Query items in order, percent-decoded; `?room=3` gives `[("room", "3")]`.
    public var query: [(name: String, value: String)]
    /// The peer as text (`IP:port`), for logs.
    public var remote: String

    public init(path: String, query: [(name: String, value: String)], remote: String) {
        self.path = path
        self.query = query
        self.remote = remote
    }

    /// Splits a request target like `/play?room=3&x` into path and query items.
    public init(uri: String, remote: String) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = String(parts.first ?? "")
        self.query = []
        self.remote = remote
        guard parts.count == 2 else { return }
        for item in parts[1].split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]).removingPercentEncodingLossy()
            let value = pair.count == 2 ? String(pair[1]).removingPercentEncodingLossy() : ""
            self.query.append((name, value))
        }
    }

    /// The first value of a query item.
    public func queryValue(_ name: String) -> String? {
        self.query.first { $0.name == name }?.value
    }
}

extension String {
    /// Decodes %XX and "+" (as HTML forms send a space) with Foundation; an item with a malformed
    /// escape is kept as written.
    fileprivate func removingPercentEncodingLossy() -> String {
        let spaced = self.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
