import NIOCore
import NIOHTTP1

/// Covers a connection from accept until its first request has arrived whole (head and body):
/// closes it when that takes longer than `timeout`, however the bytes trickle in (slowloris),
/// or when the server drains. Then removes itself (the request guard removes it at a WebSocket
/// upgrade): Hummingbird's idle timeout covers keep-alive requests, the game session its hello. `onHead` reports the first complete head (the
/// connection limiter stops treating the connection as an idle one it may evict).
final class RequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private let metrics: TransportMetrics
    private let onHead: @Sendable () -> Void
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, metrics: TransportMetrics, onHead: @escaping @Sendable () -> Void) {
        self.timeout = timeout
        self.metrics = metrics
        self.onHead = onHead
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timer = context.scheduleTimeout(in: self.timeout, state: "request", metrics: self.metrics)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head:
            self.onHead()
            context.fireChannelRead(data)
        case .body:
            context.fireChannelRead(data)
        case .end:
            self.timer?.cancel()
            self.timer = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            context.fireChannelRead(data)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
