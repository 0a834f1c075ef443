import ArbiterClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// What the test server saw, in order.
enum ServerEvent: Sendable, Equatable {
    case binary([UInt8], masked: Bool, maskKey: WebSocketMaskingKey?)
    case pong([UInt8], masked: Bool)
    case close(code: UInt16?, reason: String)
    case disconnected
}

/// A tiny WebSocket server on 127.0.0.1, port 0, whose behaviour is picked by the request path:
/// - `/echo`: echoes binary messages, answers close with the same code and closes TCP.
/// - `/ping`: sends a ping with payload "are you there?" right after the upgrade.
/// - `/close`: sends close 4000 "bye" right after the upgrade.
/// - `/send?n=N&fragments=F`: sends one binary message of N bytes in F frames after the upgrade.
/// - `/mute`: takes the client's close without answering or closing TCP.
/// - `/text`: sends a text message.
/// Any other path is answered with HTTP 404. With `tls` every connection speaks TLS first.
final class TestWebSocketServer: Sendable {
    let channel: any Channel
    let isSecure: Bool
    let events: AsyncStream<ServerEvent>
    private let continuation: AsyncStream<ServerEvent>.Continuation

    var port: Int { self.channel.localAddress!.port! }

    func url(_ target: String) throws -> WebSocketURL {
        try WebSocketURL("\(self.isSecure ? "wss" : "ws")://127.0.0.1:\(self.port)\(target)")
    }

    static func start(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, tls: NIOSSLContext? = nil
    ) async throws -> TestWebSocketServer {
        let (events, continuation) = AsyncStream.makeStream(of: ServerEvent.self)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: 1 << 24,
                    shouldUpgrade: { channel, head in
                        let path = head.uri.split(separator: "?").first.map(String.init) ?? ""
                        let known = ["/echo", "/ping", "/close", "/send", "/mute", "/text"].contains(path)
                        return channel.eventLoop.makeSucceededFuture(known ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, head in
                        // The 404 handler sits after the upgrade handler, so frames would reach it.
                        channel.pipeline.syncOperations.removeHandler(name: "not-found").flatMapThrowing {
                            try channel.pipeline.syncOperations.addHandler(
                                ServerHandler(uri: head.uri, events: continuation)
                            )
                        }
                    }
                )
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
                    )
                    try channel.pipeline.syncOperations.addHandler(NotFoundHandler(), name: "not-found")
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestWebSocketServer(channel: channel, isSecure: tls != nil, events: events, continuation: continuation)
    }

    private init(
        channel: any Channel, isSecure: Bool, events: AsyncStream<ServerEvent>, continuation: AsyncStream<ServerEvent>.Continuation
    ) {
        self.channel = channel
        self.isSecure = isSecure
        self.events = events
        self.continuation = continuation
    }

    func stop() async throws {
        try await self.channel.close()
        self.continuation.finish()
    }
}

private final class NotFoundHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = Self.unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

private final class ServerHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let path: String
    private let query: [String: String]
    private let events: AsyncStream<ServerEvent>.Continuation
    private var sentClose = false

    init(uri: String, events: AsyncStream<ServerEvent>.Continuation) {
        let parts = uri.split(separator: "?", maxSplits: 1)
        self.path = String(parts[0])
        var query: [String: String] = [:]
        if parts.count > 1 {
            for item in parts[1].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1)
                query[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
        }
        self.query = query
        self.events = events
    }

    func handlerAdded(context: ChannelHandlerContext) {
        switch self.path {
        case "/ping":
            let payload = context.channel.allocator.buffer(string: "are you there?")
            context.writeAndFlush(Self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: payload)), promise: nil)
        case "/close":
            self.sendClose(context: context, code: 4000, reason: "bye")
        case "/text":
            let payload = context.channel.allocator.buffer(string: "hello")
            context.writeAndFlush(Self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: payload)), promise: nil)
        case "/send":
            let size = Int(self.query["n"] ?? "0") ?? 0
            let fragments = max(1, Int(self.query["fragments"] ?? "1") ?? 1)
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let chunk = (size + fragments - 1) / fragments
            for index in 0..<fragments {
                let slice = bytes[min(size, index * chunk)..<min(size, (index + 1) * chunk)]
                let frame = WebSocketFrame(
                    fin: index == fragments - 1,
                    opcode: index == 0 ? .binary : .continuation,
                    data: context.channel.allocator.buffer(bytes: slice)
                )
                context.write(Self.wrapOutboundOut(frame), promise: nil)
            }
            context.flush()
        default:
            break
        }
    }

    private func sendClose(context: ChannelHandlerContext, code: UInt16, reason: String) {
        guard !self.sentClose else { return }
        self.sentClose = true
        var payload = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        payload.writeInteger(code)
        payload.writeString(reason)
        context.writeAndFlush(Self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        let bytes = Array(frame.unmaskedData.readableBytesView)
        switch frame.opcode {
        case .binary:
            self.events.yield(.binary(bytes, masked: frame.maskKey != nil, maskKey: frame.maskKey))
            if self.path == "/echo" {
                let reply = WebSocketFrame(fin: true, opcode: .binary, data: context.channel.allocator.buffer(bytes: bytes))
                context.writeAndFlush(Self.wrapOutboundOut(reply), promise: nil)
            }
        case .pong:
            self.events.yield(.pong(bytes, masked: frame.maskKey != nil))
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self)
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            self.events.yield(.close(code: code, reason: reason))
            guard self.path != "/mute" else { return }
            if !self.sentClose {
                self.sendClose(context: context, code: code ?? 1000, reason: "")
            }
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.events.yield(.disconnected)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A TCP server that answers whatever arrives first with fixed bytes (or never answers), for
/// handshakes no real WebSocket server would produce.
final class CannedServer: Sendable {
    let channel: any Channel
    var port: Int { self.channel.localAddress!.port! }

    static func start(reply: [UInt8]?, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> CannedServer {
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CannedReplyHandler(reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return CannedServer(channel: channel)
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    func stop() async throws {
        try await self.channel.close()
    }
}

private final class CannedReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: [UInt8]?
    var replied = false

    init(reply: [UInt8]?) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reply, !self.replied else { return }
        self.replied = true
        context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
    }
}
