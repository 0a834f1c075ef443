import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOSSL
import NIOWebSocket

/// One port for everything: requests to a WebSocket path (`/play`, `/echo`) are upgraded to our
/// own NIO handlers; every other request goes to Hummingbird's responder. With `tls` the whole
/// connection is behind a `NIOSSLServerHandler` (HTTPS and WSS); without it no TLS handler exists.
///
/// Modelled on hummingbird-websocket's `HTTP1WebSocketUpgradeChannel`, but the upgraded side is
/// plain channel handlers rather than an `NIOAsyncChannel` with a task per connection, which is
/// what the transport measurements favour for the tick fan-out.
struct GameChildChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        case websocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let routes: [String: any WebSocketService]
    let settings: TransportSettings
    let metrics: TransportMetrics
    let limiter: ConnectionLimiter
    /// TLS for every connection when set (`--tls-cert`); nil adds no handler at all.
    let tls: NIOSSLContext?
    let logger: Logger
    /// Worked out once, not per accepted connection: what only the routes and settings decide.
    private let rules: HTTPRequestRules
    private let webSocketPaths: Set<String>
    /// The upgrader's frame limit: the largest endpoint's. Its decoder never reads a byte (the
    /// endpoint's own handler parses frames, with its own limit: `GameSocketPipeline`); without
    /// routes nothing is upgraded (shouldUpgrade refuses every path).
    private let maxFrameSize: Int

    init(
        responder: @escaping HTTPChannelHandler.Responder, routes: [String: any WebSocketService], settings: TransportSettings,
        metrics: TransportMetrics, limiter: ConnectionLimiter, tls: NIOSSLContext? = nil, logger: Logger
    ) {
        self.responder = responder
        self.routes = routes
        self.settings = settings
        self.metrics = metrics
        self.limiter = limiter
        self.tls = tls
        self.logger = logger
        self.rules = HTTPRequestRules(maxBodyBytes: settings.maxBodyBytes, allowedOrigins: settings.allowedOrigins)
        self.webSocketPaths = Set(routes.keys)
        self.maxFrameSize = routes.values.map(\.maxMessageSize).max() ?? 1
    }

    /// Read sizes from the first byte on. Game messages are tens of bytes and an upgrade request
    /// a few hundred: start small and let the allocator grow for a big sender (Autobahn, a long
    /// request). Set at accept, not after the upgrade: NIO keeps each connection's read buffer
    /// between reads at the largest size it ever had, so the HTTP phase's default 2,048 bytes
    /// stayed with every game connection for good (2.1 KiB per connection at 1,000 clients,
    /// heaptrack; `Tests/Benchmarks/RESULTS.md`, "Memory per connection").
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65536)
    /// After the upgrade, for a service of small messages (at most `smallMessages` bytes; the
    /// game's are 1 KiB at most, its inputs tens of bytes): reads never grow past 256 bytes, so a
    /// burst of inputs (a client's stalled stream, a busy loop) is read in several reads instead
    /// of growing the buffer the connection then keeps (to 832 bytes a connection at 1,000
    /// clients). Echo's big messages still read in up to 64 KiB.
    static let smallMessageReads = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 256)
    static let smallMessages = 4096

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // Refused connections are closed here, before any handler or task exists for them (a
        // failed child initializer is dropped by NIO; the server goes on accepting).
        guard let connectionID = self.limiter.admit(channel) else {
            return channel.eventLoop.makeFailedFuture(ConnectionLimiter.Refused())
        }
        return channel.eventLoop.makeCompletedFuture {
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            let routes = self.routes
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: self.maxFrameSize,
                enableAutomaticErrorHandling: false,
                shouldUpgrade: { channel, head in
                    let path = WebSocketRequest(uri: head.uri, remote: "").path
                    return channel.eventLoop.makeSucceededFuture(routes[path] == nil ? nil : HTTPHeaders())
                },
                upgradePipelineHandler: { channel, head in
                    channel.eventLoop.makeCompletedFuture {
                        try self.configureWebSocket(channel: channel, head: head)
                        return .websocket
                    }
                }
            )
            let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration<UpgradeResult>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            WriteStallHandler(timeout: self.settings.slowClientTimeout, metrics: self.metrics),
                            position: .first
                        )
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: self.tls != nil))
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: .nanoseconds(self.settings.idleTimeout.nanoseconds), logger: logger)
                        )
                        return .http(
                            try NIOAsyncChannel(
                                wrappingChannelSynchronously: channel,
                                configuration: .init(isOutboundHalfClosureEnabled: true)
                            )
                        )
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgradeConfiguration)
            configuration.enablePipelining = false  // NIOAsyncChannel handles HTTP pipelining
            configuration.enableErrorHandling = false  // HTTPRequestGuard answers parse errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes already validated them
            configuration.decoderConfiguration.maxHeaderFieldSize = self.settings.maxHeaderBytes
            configuration.decoderConfiguration.maxHeaderListSize = self.settings.maxHeaderBytes
            let pipeline = channel.pipeline.syncOperations
            if let tls = self.tls {
                // In front of everything, so every handler behind it sees plain bytes. The TLS
                // handshake needs no timer of its own: the first-request handler's starts now
                // and only decrypted bytes stop it, so a peer that never finishes the handshake
                // is closed at the first-request timeout like a silent one.
                try pipeline.addHandler(PlainHTTPOnTLSHandler(linger: self.settings.closeTimeout, metrics: self.metrics))
                try pipeline.addHandler(NIOSSLServerHandler(context: tls))
            }
            try pipeline.addHandler(
                FirstRequestHandler(
                    timeout: self.settings.firstRequestTimeout,
                    maxRequestLine: self.settings.maxRequestLine,
                    linger: self.settings.closeTimeout,
                    metrics: self.metrics
                )
            )
            let result = try pipeline.configureUpgradableHTTPServerPipeline(configuration: configuration)
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let limiter = self.limiter
            let timeout = RequestTimeoutHandler(timeout: self.settings.requestTimeout, metrics: self.metrics) {
                limiter.markInUse(id: connectionID)
            }
            let requestGuard = HTTPRequestGuard(
                rules: self.rules,
                webSocketPaths: self.webSocketPaths,
                linger: self.settings.closeTimeout,
                metrics: self.metrics
            )
            try pipeline.addHandler(timeout, position: .after(decoder))
            try pipeline.addHandler(requestGuard, position: .after(timeout))
            return Value(upgradeResult: result, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .websocket:
                // The channel handlers own the connection from here; no task per connection.
                return
            case .http(let asyncChannel):
                await self.handleHTTP(asyncChannel: asyncChannel, logger: logger)
            }
        } catch {
            logger.debug("connection setup failed", metadata: ["error": "\(error)"])
        }
    }

    /// Runs on the channel's loop after the 101 went out and before any frame is decoded
    /// (the upgrade handler buffers the bytes that arrived meanwhile).
    private func configureWebSocket(channel: any Channel, head: HTTPRequestHead) throws {
        let request = WebSocketRequest(uri: head.uri, remote: channel.remoteAddress?.description ?? "?")
        guard let service = self.routes[request.path] else { throw ChannelError.inappropriateOperationForState }
        let pipeline = channel.pipeline.syncOperations

        try channel.syncOptions?.setOption(ChannelOptions.writeBufferWaterMark, value: self.settings.writeBufferWaterMark)
        if service.maxMessageSize <= Self.smallMessages {
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.smallMessageReads)
        }
        if let sendBuffer = self.settings.socketSendBuffer {
            try channel.syncOptions?.setOption(ChannelOptions.socketOption(.so_sndbuf), value: SocketOptionValue(sendBuffer))
        }

        let connection = ServerWebSocket(eventLoop: channel.eventLoop, request: request, allocator: channel.allocator)
        // Game frames straight to the socket (`DirectSocketWrite`): plain TCP only, and not for
        // a service that relies on NIO's queue to pause its reads (echo).
        let descriptor = self.tls == nil && !service.pausesReadsWhileUnwritable ? DirectSocketWrite.descriptor(of: channel) : nil
        // The server's logger as it is: the handler names the connection in its own lines. A copy
        // with the id as metadata cost every connection 192 bytes for its life (heaptrack).
        try GameSocketPipeline.addFrameHandlers(
            to: pipeline, connection: connection, service: service, settings: self.settings, metrics: self.metrics, logger: self.logger,
            descriptor: descriptor)
        service.accept(connection)
    }
}
