import NIOWebSocket

/// How a connection ended, reported once to the delegate and through `closeFuture`.
public struct WebSocketCloseInfo: Sendable, CustomStringConvertible {
    /// The code in the close frame the peer sent; nil if it sent none (or sent a close frame
    /// without a code).
    public var receivedCode: WebSocketErrorCode?
    /// The reason text in the peer's close frame ("" if none).
    public var receivedReason: String = ""
    /// The code of the close frame this side sent, nil if none was sent.
    public var sentCode: WebSocketErrorCode?
    /// True when close frames went both ways before the TCP connection ended.
    public var wasClean: Bool {
        self.receivedClose && self.sentClose
    }
    /// Why this side failed or gave up on the connection (protocol violation, oversized message,
    /// close handshake timed out, connect failure), or nil for an orderly close.
    public var error: WebSocketClientError?

    /// A close frame arrived / was sent (possibly without a code).
    public internal(set) var receivedClose = false
    public internal(set) var sentClose = false

    public init() {}

    public var description: String {
        var parts: [String] = []
        if self.receivedClose {
            let code = self.receivedCode.map { String(UInt16(webSocketErrorCode: $0)) } ?? "none"
            parts.append("peer closed with \(code)" + (self.receivedReason.isEmpty ? "" : " \"\(self.receivedReason)\""))
        }
        if self.sentClose {
            parts.append("sent close " + (self.sentCode.map { String(UInt16(webSocketErrorCode: $0)) } ?? "without code"))
        }
        if let error = self.error {
            parts.append("error: \(error)")
        }
        if parts.isEmpty {
            parts.append("connection dropped without a close frame")
        }
        return parts.joined(separator: ", ")
    }
}
