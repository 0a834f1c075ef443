import NIOCore

/// Closes an HTTP connection whose peer stops reading a response: the socket stays unwritable
/// for `timeout` (the slow-client timeout). Without it Hummingbird's writer would wait forever,
/// and the idle timeout does not run while a response is going out. Only writability events.
final class WriteStallHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let timeout: TimeAmount
    private let metrics: TransportMetrics
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, metrics: TransportMetrics) {
        self.timeout = timeout
        self.metrics = metrics
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.timer?.cancel()
            self.timer = nil
        } else if self.timer == nil {
            self.timer = context.scheduleTimeout(in: self.timeout, state: "response_write", metrics: self.metrics)
        }
        context.fireChannelWritabilityChanged()
    }
}
