import NIOCore

/// Covers a connection from accept until its request line is complete, ahead of the HTTP
/// decoder: closes it if no byte arrives within `timeout` or when the server drains (otherwise
/// a silent socket would hold graceful shutdown until the drain timeout), and answers
/// `414 URI Too Long` to a request line longer than `maxRequestLine` before the decoder buffers
/// it. Removes itself at the end of the request line, so it costs nothing afterwards.
final class FirstRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let maxRequestLine: Int
    private let linger: TimeAmount
    private let metrics: TransportMetrics
    private var timer: Scheduled<Void>?
    private var requestLineBytes = 0
    private var refused = false

    init(timeout: TimeAmount, maxRequestLine: Int, linger: TimeAmount, metrics: TransportMetrics) {
        self.timeout = timeout
        self.maxRequestLine = maxRequestLine
        self.linger = linger
        self.metrics = metrics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timer = context.scheduleTimeout(in: self.timeout, state: "first_byte", metrics: self.metrics)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.refused else { return }
        self.timer?.cancel()
        self.timer = nil
        let bytes = Self.unwrapInboundIn(data)
        if let newline = bytes.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            guard self.requestLineBytes + newline - bytes.readerIndex <= self.maxRequestLine else { return self.refuse(context: context) }
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        } else {
            self.requestLineBytes += bytes.readableBytes
            guard self.requestLineBytes <= self.maxRequestLine else { return self.refuse(context: context) }
            context.fireChannelRead(data)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent || (self.refused && event as? ChannelEvent == .inputClosed) {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Written here as bytes: the decoder behind this handler has seen only part of a line.
    private func refuse(context: ChannelHandlerContext) {
        self.refused = true
        self.metrics.httpRejected(status: 414, kind: "uri_too_long")
        let response = "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: response)), promise: written)
        context.closeAfterRefusal(written: written.futureResult, linger: self.linger)
    }
}
