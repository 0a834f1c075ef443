import NIOCore
import NIOPosix

/// Opens client WebSocket connections. Many connections share one `MultiThreadedEventLoopGroup`;
/// each lives on the loop it was opened on.
public enum WebSocketClient {
    /// Connects and upgrades. Call on `eventLoop`: the delegate is bound to it and every callback
    /// runs there. `address` skips name resolution (resolve once, connect a thousand bots).
    ///
    /// The future fails with a ``WebSocketClientError`` (`.connectFailed`, `.upgradeRejected`,
    /// `.timedOut`, `.tlsFailed`, ...) whose description says what went wrong.
    public static func connect(
        to url: WebSocketURL,
        address: SocketAddress? = nil,
        configuration: WebSocketClientConfiguration = .init(),
        on eventLoop: any EventLoop,
        delegate: any WebSocketConnectionDelegate
    ) -> EventLoopFuture<WebSocketConnection> {
        eventLoop.preconditionInEventLoop()
        let connection = WebSocketConnection(url: url, configuration: configuration, eventLoop: eventLoop, delegate: delegate)
        return connection.start(address: address)
    }
}
