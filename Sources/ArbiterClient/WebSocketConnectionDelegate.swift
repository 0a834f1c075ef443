import NIOCore

/// Receives a connection's events. Every method is called on the connection's event loop, and
/// nowhere else, so an implementation keeps its state in plain stored properties.
///
/// The connection holds its delegate strongly until it has reported the close, then lets go;
/// the delegate may therefore hold the connection strongly too.
public protocol WebSocketConnectionDelegate: AnyObject {
    /// The upgrade completed; sending is allowed from here on. Called before the connect future
    /// succeeds and before any message is delivered.
    func webSocketDidOpen(_ connection: WebSocketConnection)

    /// One complete binary message. `message` is a view of the received bytes; it is valid
    /// beyond the call, but keeping it pins the receive buffer, so decode and let go.
    func webSocket(_ connection: WebSocketConnection, didReceive message: ByteBuffer)

    /// The connection has ended (only called if it had opened). Called exactly once.
    func webSocket(_ connection: WebSocketConnection, didCloseWith info: WebSocketCloseInfo)

    /// The channel's writability changed (the socket's send buffer filled up or drained).
    func webSocketWritabilityChanged(_ connection: WebSocketConnection, isWritable: Bool)
}

extension WebSocketConnectionDelegate {
    public func webSocketDidOpen(_ connection: WebSocketConnection) {}
    public func webSocket(_ connection: WebSocketConnection, didCloseWith info: WebSocketCloseInfo) {}
    public func webSocketWritabilityChanged(_ connection: WebSocketConnection, isWritable: Bool) {}
}
