import NIOCore
import NIOWebSocket

/// An async face over ``WebSocketConnection`` for tests and tools: messages arrive on an
/// `AsyncStream`. It costs a stream and a task hop per message, so bots and benchmarks use the
/// delegate API instead.
public struct AsyncWebSocketConnection: Sendable {
    public let connection: WebSocketConnection
    /// Every binary message, in order; finishes when the connection closes.
    public let messages: AsyncStream<ByteBuffer>

    /// Connects on one of `group`'s loops.
    public static func connect(
        to url: WebSocketURL,
        configuration: WebSocketClientConfiguration = .init(),
        group: any EventLoopGroup
    ) async throws -> AsyncWebSocketConnection {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let eventLoop = group.next()
        let connection = try await eventLoop.flatSubmit {
            WebSocketClient.connect(
                to: url,
                configuration: configuration,
                on: eventLoop,
                delegate: StreamingDelegate(continuation: continuation)
            )
        }.get()
        // A failed connect never reaches the delegate's close callback.
        connection.closeFuture.whenComplete { _ in continuation.finish() }
        return AsyncWebSocketConnection(connection: connection, messages: stream)
    }

    public func send(_ bytes: [UInt8]) {
        self.connection.send(bytes: bytes)
    }

    @discardableResult
    public func close(code: WebSocketErrorCode = .normalClosure, reason: String = "") async throws -> WebSocketCloseInfo {
        try await self.connection.close(code: code, reason: reason).get()
    }

    /// Waits for the connection to end, however it ends.
    public func closed() async throws -> WebSocketCloseInfo {
        try await self.connection.closeFuture.get()
    }

    /// Reads the connection's counters on its loop.
    public func statistics() async throws -> WebSocketStatistics {
        try await self.connection.eventLoop.submit { self.connection.statistics }.get()
    }
}

private final class StreamingDelegate: WebSocketConnectionDelegate {
    let continuation: AsyncStream<ByteBuffer>.Continuation

    init(continuation: AsyncStream<ByteBuffer>.Continuation) {
        self.continuation = continuation
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: ByteBuffer) {
        self.continuation.yield(message)
    }

    func webSocket(_ connection: WebSocketConnection, didCloseWith info: WebSocketCloseInfo) {
        self.continuation.finish()
    }
}
