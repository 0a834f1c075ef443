import NIOCore
import NIOHTTP1

/// Bounds the time a request takes to arrive whole (head and body), however its bytes trickle
/// in (slowloris): the first request from accept, each later one from its head (the wait for it
/// is Hummingbird's idle timeout). Closes the connection when that is exceeded, and before the
/// first request also when the server drains (later, Hummingbird lets a response finish first).
/// `onFirstHead` reports the first complete head (the connection limiter stops treating the
/// connection as an idle one it may evict). The request guard removes it at a WebSocket upgrade.
final class RequestTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let timeout: TimeAmount
    private let metrics: TransportMetrics
    private var onFirstHead: (@Sendable () -> Void)?
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, metrics: TransportMetrics, onFirstHead: @escaping @Sendable () -> Void) {
        self.timeout = timeout
        self.metrics = metrics
        self.onFirstHead = onFirstHead
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
            if let onFirstHead = self.onFirstHead {
                self.onFirstHead = nil
                onFirstHead()
            } else if self.timer == nil {
                self.timer = context.scheduleTimeout(in: self.timeout, state: "request", metrics: self.metrics)
            }
        case .body:
            break
        case .end:
            self.timer?.cancel()
            self.timer = nil
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, self.onFirstHead != nil {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
