import NIOCore

/// On a TLS port, answers a plain-HTTP request (someone opened `http://` instead of `https://`)
/// with a readable `400` instead of a TLS alert the browser shows as "connection reset", then
/// closes. Looks only at the first byte (a TLS connection starts with a handshake record, 0x16)
/// and removes itself, so it costs nothing afterwards. Sits in front of the TLS handler.
final class PlainHTTPOnTLSHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The first byte of every TLS record that opens a handshake.
    static let handshakeRecord: UInt8 = 0x16
    static let response =
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
        + "\(PlainHTTPOnTLSHandler.body.utf8.count)\r\n\r\n\(PlainHTTPOnTLSHandler.body)"
    static let body = "This port speaks HTTPS: open it with https:// (the game socket with wss://).\n"

    private let linger: TimeAmount
    private let metrics: TransportMetrics
    private var refused = false

    init(linger: TimeAmount, metrics: TransportMetrics) {
        self.linger = linger
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.refused else { return }
        let bytes = Self.unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
        if first == Self.handshakeRecord {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        self.refused = true
        self.metrics.httpRejected(status: 400, kind: "plain_http_on_tls")
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: Self.response)), promise: written)
        context.closeAfterRefusal(written: written.futureResult, linger: self.linger)
    }

    /// Once refused, the peer's close ends the connection at once (the reply has been read).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if self.refused, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard !self.refused else { return }
        context.fireChannelReadComplete()
    }
}
