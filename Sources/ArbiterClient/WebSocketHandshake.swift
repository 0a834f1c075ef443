import ArbiterWebSocket
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket

/// Sends the upgrade request once the handlers are in place, and turns anything but a
/// successful upgrade into a clear connect error. Removed when the upgrade succeeds.
final class UpgradeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let connection: WebSocketConnection

    init(connection: WebSocketConnection) {
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added after the TCP connect, so channelActive has already gone by.
        if context.channel.isActive { self.sendRequest(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendRequest(context: context)
        context.fireChannelActive()
    }

    private var sent = false

    private func sendRequest(context: ChannelHandlerContext) {
        guard !self.sent else { return }
        self.sent = true
        let url = self.connection.url
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.requestTarget)
        head.headers.add(name: "Host", value: url.hostHeader)
        for header in self.connection.configuration.headers {
            head.headers.add(name: header.name, value: header.value)
        }
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Only responses that did not upgrade get here.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let response) = Self.unwrapInboundIn(data) {
            self.connection.handshakeFailed(
                WebSocketClientError.upgradeRejected.with(
                    "\(self.connection.url) answered HTTP \(response.status.code) \(response.status.reasonPhrase)"
                )
            )
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            self.connection.handshakeFailed(WebSocketClientError.tlsFailed.with(WebSocketTLS.explain(error, url: self.connection.url)))
            return
        }
        let detail: String
        switch error as? NIOHTTPClientUpgradeError {
        case .upgraderDeniedUpgrade?:
            detail = "missing or wrong Sec-WebSocket-Accept from \(self.connection.url)"
        case .responseProtocolNotFound?:
            detail = "101 response from \(self.connection.url) does not upgrade to websocket"
        default:
            detail = "\(error) from \(self.connection.url)"
        }
        self.connection.handshakeFailed(WebSocketClientError.handshakeFailed.with(detail))
    }
}

/// Uses NIO's WebSocket upgrader for the key and the `Sec-WebSocket-Accept` check, but installs
/// our own frame path: no `WebSocketFrameEncoder` (``ClientFrameWriter`` frames and masks into a
/// reused buffer) and an aggregator bounded by `maxMessageSize`.
final class ClientUpgrader: NIOHTTPClientProtocolUpgrader {
    let supportedProtocol = "websocket"
    let requiredUpgradeHeaders: [String] = []

    private let keyCheck: NIOWebSocketClientUpgrader
    private let connection: WebSocketConnection
    private let requestHandler: UpgradeRequestHandler

    init(connection: WebSocketConnection, requestHandler: UpgradeRequestHandler) {
        self.connection = connection
        self.requestHandler = requestHandler
        self.keyCheck = NIOWebSocketClientUpgrader(upgradePipelineHandler: { channel, _ in
            channel.eventLoop.makeSucceededVoidFuture()
        })
    }

    func addCustom(upgradeRequestHeaders: inout HTTPHeaders) {
        self.keyCheck.addCustom(upgradeRequestHeaders: &upgradeRequestHeaders)
    }

    func shouldAllowUpgrade(upgradeResponse: HTTPResponseHead) -> Bool {
        self.keyCheck.shouldAllowUpgrade(upgradeResponse: upgradeResponse)
    }

    func upgrade(context: ChannelHandlerContext, upgradeResponse: HTTPResponseHead) -> EventLoopFuture<Void> {
        let maxMessageSize = self.connection.configuration.maxMessageSize
        return context.eventLoop.makeCompletedFuture {
            let pipeline = context.pipeline.syncOperations
            pipeline.removeHandler(self.requestHandler, promise: nil)
            // Frames are parsed in place by the handler (ArbiterWebSocket's parser, the server's).
            try pipeline.addHandler(WebSocketFrameHandler(connection: self.connection, maxMessageSize: maxMessageSize))
        }
    }
}

/// The pipeline's end: parses the server's frames where they lie in the read bytes
/// (`WebSocketFrameParser`, the server's parser with the client's masking rule), hands whole
/// messages to the connection from a buffer reused for every message, and is the context the
/// connection writes its pre-framed buffers through.
final class WebSocketFrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: WebSocketConnection
    private var parser: WebSocketFrameParser
    /// The bytes of a frame that a read ended inside of, until the rest arrives.
    private var partialFrame: ByteBuffer?
    private var message = ByteBuffer()
    private var control = ByteBuffer()
    /// After a protocol violation nothing more is read: the connection is failing.
    private var failed = false

    init(connection: WebSocketConnection, maxMessageSize: Int) {
        self.connection = connection
        // Enough for any legitimate server, while an empty-fragment flood still ends.
        self.parser = WebSocketFrameParser(maxMessageSize: maxMessageSize, maxFragments: 1024, expectsMaskedFrames: false)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.connection.opened(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connection.handlerRemoved()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.failed else { return }
        var input = Self.unwrapInboundIn(data)
        if var partial = self.partialFrame {
            self.partialFrame = nil  // unique again, so appending does not copy
            partial.writeBuffer(&input)
            self.parseFrames(&partial)
            guard !self.failed, partial.readableBytes > 0 else { return }
            partial.discardReadBytes()
            self.partialFrame = partial
        } else {
            self.parseFrames(&input)
            guard !self.failed, input.readableBytes > 0 else { return }
            var copy = context.channel.allocator.buffer(capacity: max(input.readableBytes * 2, 256))
            copy.writeBuffer(&input)
            self.partialFrame = copy
        }
    }

    private func parseFrames(_ input: inout ByteBuffer) {
        while !self.failed {
            let start = input.readerIndex
            let step = self.parser.next(&input, message: &self.message, control: &self.control)
            let wireBytes = input.readerIndex - start
            switch step {
            case .needMoreBytes:
                return
            case .fragment:
                self.connection.receivedFragment(wireBytes: wireBytes)
            case .message(let opcode):
                self.connection.received(opcode: opcode, payload: self.message, wireBytes: wireBytes)
            case .control(let opcode):
                self.connection.received(opcode: opcode, payload: self.control, wireBytes: wireBytes)
            case .violation(let violation):
                self.failed = true
                self.partialFrame = nil
                self.connection.violated(violation)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.connection.caught(error)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.connection.writabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }
}
