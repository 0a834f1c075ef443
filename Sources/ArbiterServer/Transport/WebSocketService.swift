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
}

extension WebSocketService {
    public var pausesReadsWhileUnwritable: Bool { false }
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
    /// Percent-decoding without Foundation; malformed escapes are kept as written.
    fileprivate func removingPercentEncodingLossy() -> String {
        guard self.contains("%") || self.contains("+") else { return self }
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
