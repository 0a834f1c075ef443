import NIOCore
import NIOHTTP1

/// Refuses bad requests before the upgrader or Hummingbird sees them: parse errors (garbage,
/// unknown methods, oversized headers) and heads that break `HTTPRequestRules` get their status
/// (400, 403, 413, 426, 431) with `Connection: close`, then the connection ends. Sits after the
/// HTTP decoder for the whole HTTP life of a connection. A valid upgrade to a WebSocket path is
/// the end of HTTP: the guard then removes itself and the `RequestTimeoutHandler` before the
/// upgrader removes the decoder (which forwards any bytes past the request as raw bytes).
final class HTTPRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let rules: HTTPRequestRules
    private let webSocketPaths: Set<String>
    private let linger: TimeAmount
    private let metrics: TransportMetrics
    private var bodyBytes = 0
    /// Once refused, everything else the peer sends is dropped.
    private var refused = false
    /// Only the first request of a connection can be an upgrade.
    private var isFirstRequest = true

    init(rules: HTTPRequestRules, webSocketPaths: Set<String>, linger: TimeAmount, metrics: TransportMetrics) {
        self.rules = rules
        self.webSocketPaths = webSocketPaths
        self.linger = linger
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.refused else { return }
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            if let refusal = self.rules.check(head) { return self.refuse(refusal, context: context) }
            self.bodyBytes = 0
            defer { self.isFirstRequest = false }
            if self.isFirstRequest, HTTPRequestRules.isWebSocketUpgrade(head),
                self.webSocketPaths.contains(WebSocketRequest(uri: head.uri, remote: "").path)
            {
                context.fireChannelRead(data)
                let pipeline = context.pipeline.syncOperations
                if let timeout = try? pipeline.context(handlerType: RequestTimeoutHandler.self) {
                    pipeline.removeHandler(context: timeout, promise: nil)
                }
                pipeline.removeHandler(context: context, promise: nil)
                return
            }
        case .body(let body):
            self.bodyBytes += body.readableBytes
            if self.bodyBytes > self.rules.maxBodyBytes {
                return self.refuse(.init(status: .payloadTooLarge, kind: "body_too_large"), context: context)
            }
        case .end:
            break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !self.refused else { return }
        guard let error = error as? HTTPParserError else { return context.fireErrorCaught(error) }
        // The request line is bounded before the decoder (414), so an overflow is the headers.
        let refusal: HTTPRequestRules.Refusal =
            error == .headerOverflow
            ? .init(status: .requestHeaderFieldsTooLarge, kind: "headers_too_large")
            : .init(status: .badRequest, kind: "malformed_request")
        self.refuse(refusal, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if self.refused, case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func refuse(_ refusal: HTTPRequestRules.Refusal, context: ChannelHandlerContext) {
        self.refused = true
        self.metrics.httpRejected(status: refusal.status.code, kind: refusal.kind)
        var headers = HTTPHeaders([("Connection", "close"), ("Content-Length", "0")])
        headers.add(contentsOf: refusal.headers)
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: refusal.status, headers: headers))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: written)
        context.closeAfterRefusal(written: written.futureResult, linger: self.linger)
    }
}
