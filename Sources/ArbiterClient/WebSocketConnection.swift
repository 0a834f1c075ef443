import ArbiterWebSocket
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket

/// One client WebSocket connection, confined to one event loop.
///
/// Threading: all state lives on `eventLoop`. Delegate callbacks run there. `send` and `close`
/// may be called from anywhere: on the loop they act at once (the cheap path bots use), off it
/// they hop to the loop. `statistics` must be read on the loop.
///
/// Lifecycle: connecting → open → closing (close frame sent or received, waiting for the other
/// half or the TCP close, bounded by `closeTimeout`) → closed. `closeFuture` always completes,
/// also when connecting failed.
public final class WebSocketConnection: @unchecked Sendable {
    public let eventLoop: any EventLoop
    public let url: WebSocketURL
    let configuration: WebSocketClientConfiguration

    private enum Phase { case connecting, open, closing, closed }

    // Event loop only, from here on.
    private var phase = Phase.connecting
    private var didOpen = false
    private var delegate: (any WebSocketConnectionDelegate)?
    private var channel: (any Channel)?
    private var context: ChannelHandlerContext?
    private var writer: ClientFrameWriter
    private var stats = WebSocketStatistics()
    private var info = WebSocketCloseInfo()
    private var timeout: Scheduled<Void>?
    private let startedAt: NIODeadline
    private let openPromise: EventLoopPromise<Void>
    private let closePromise: EventLoopPromise<WebSocketCloseInfo>

    init(
        url: WebSocketURL,
        configuration: WebSocketClientConfiguration,
        eventLoop: any EventLoop,
        delegate: any WebSocketConnectionDelegate
    ) {
        self.url = url
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.delegate = delegate
        self.writer = ClientFrameWriter(allocator: ByteBufferAllocator())
        self.startedAt = .now()
        self.openPromise = eventLoop.makePromise()
        self.closePromise = eventLoop.makePromise()
    }

    /// Completes once the connection has ended, with what each side said.
    public var closeFuture: EventLoopFuture<WebSocketCloseInfo> { self.closePromise.futureResult }

    /// True between the upgrade and the start of the close handshake. Event loop only.
    public var isOpen: Bool {
        self.eventLoop.assertInEventLoop()
        return self.phase == .open
    }

    /// False while the socket's send buffer is above its high watermark. Event loop only.
    public var isWritable: Bool {
        self.eventLoop.assertInEventLoop()
        return self.channel?.isWritable ?? false
    }

    /// Counters for this connection. Event loop only.
    public var statistics: WebSocketStatistics {
        self.eventLoop.assertInEventLoop()
        return self.stats
    }

    public var localAddress: SocketAddress? { self.channel?.localAddress }

    // MARK: Sending

    /// Sends one binary message. Returns false (and drops the message) when the connection is
    /// not open. Off the event loop the message is queued to the loop and true is returned.
    @discardableResult
    public func send(_ message: ByteBuffer) -> Bool {
        guard self.eventLoop.inEventLoop else {
            self.eventLoop.execute { self.send(message) }
            return true
        }
        guard self.phase == .open else { return false }
        message.withUnsafeReadableBytes { self.writeFrame(.binary, payload: $0, promise: nil) }
        self.stats.messagesOut += 1
        self.stats.bytesOut += message.readableBytes
        return true
    }

    /// Sends one binary message from contiguous bytes (e.g. an encoder's `[UInt8]`), copying
    /// them straight into the reused frame buffer.
    @discardableResult
    public func send<Bytes: Collection>(bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard self.eventLoop.inEventLoop else {
            let copy = Array(bytes)
            self.eventLoop.execute { self.send(bytes: copy) }
            return true
        }
        guard self.phase == .open else { return false }
        let sent: Void? = bytes.withContiguousStorageIfAvailable {
            self.writeFrame(.binary, payload: UnsafeRawBufferPointer($0), promise: nil)
        }
        if sent == nil {
            Array(bytes).withUnsafeBytes { self.writeFrame(.binary, payload: $0, promise: nil) }
        }
        self.stats.messagesOut += 1
        self.stats.bytesOut += bytes.count
        return true
    }

    private func writeFrame(_ opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, promise: EventLoopPromise<Void>?) {
        guard let context = self.context else {
            promise?.fail(WebSocketClientError.notOpen)
            return
        }
        let frame = self.writer.frame(opcode: opcode, payload: payload)
        self.stats.wireBytesOut += frame.readableBytes
        context.writeAndFlush(NIOAny(frame), promise: promise)
    }

    // MARK: Closing

    /// Starts the close handshake: sends a close frame with `code` and `reason`, waits up to
    /// `closeTimeout` for the peer's close, then closes the TCP connection. While connecting,
    /// abandons the attempt (the connect future fails). Callable from any thread.
    @discardableResult
    public func close(code: WebSocketErrorCode = .normalClosure, reason: String = "") -> EventLoopFuture<WebSocketCloseInfo> {
        if self.eventLoop.inEventLoop {
            self.closeOnLoop(code: code, reason: reason)
        } else {
            self.eventLoop.execute { self.closeOnLoop(code: code, reason: reason) }
        }
        return self.closeFuture
    }

    private func closeOnLoop(code: WebSocketErrorCode, reason: String) {
        switch self.phase {
        case .connecting:
            if self.info.error == nil {
                self.info.error = WebSocketClientError.notOpen.with("closed by the caller before the handshake completed")
            }
            self.channel?.close(promise: nil)
        case .open:
            self.phase = .closing
            self.writeClose(code: code, reason: reason)
            self.scheduleCloseTimeout()
        case .closing, .closed:
            break
        }
    }

    private func writeClose(code: WebSocketErrorCode?, reason: String, promise: EventLoopPromise<Void>? = nil) {
        guard !self.info.sentClose else {
            promise?.succeed(())
            return
        }
        self.info.sentClose = true
        self.info.sentCode = code
        // Control frame payloads are at most 125 bytes: 2 for the code, 123 for the reason.
        var payload: [UInt8] = []
        if let code {
            let raw = UInt16(webSocketErrorCode: code)
            payload.reserveCapacity(2 + min(reason.utf8.count, 123))
            payload.append(UInt8(truncatingIfNeeded: raw >> 8))
            payload.append(UInt8(truncatingIfNeeded: raw))
            payload.append(contentsOf: Self.truncatedUTF8(reason, maxBytes: 123))
        }
        payload.withUnsafeBytes { self.writeFrame(.connectionClose, payload: $0, promise: promise) }
    }

    static func truncatedUTF8(_ text: String, maxBytes: Int) -> Substring.UTF8View {
        var end = text.startIndex
        var used = 0
        for index in text.unicodeScalars.indices {
            let size = UTF8.width(text.unicodeScalars[index])
            if used + size > maxBytes { break }
            used += size
            end = text.unicodeScalars.index(after: index)
        }
        return text[..<end].utf8
    }

    private func scheduleCloseTimeout() {
        self.timeout?.cancel()
        self.timeout = self.eventLoop.scheduleTask(in: self.configuration.closeTimeout) {
            guard self.phase == .closing else { return }
            if self.info.error == nil, !self.info.receivedClose {
                self.info.error = WebSocketClientError.timedOut.with("no close frame from the peer within \(self.configuration.closeTimeout)")
            }
            self.channel?.close(promise: nil)
        }
    }

    /// RFC 6455 "fail the connection": send a close frame with `code` if none went out yet,
    /// then drop TCP without waiting.
    private func fail(_ code: WebSocketErrorCode, _ error: WebSocketClientError) {
        guard self.phase == .open || self.phase == .closing else { return }
        if self.info.error == nil { self.info.error = error }
        self.phase = .closing
        if !self.info.sentClose, self.context != nil {
            let written = self.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { _ in self.channel?.close(promise: nil) }
            self.writeClose(code: code, reason: "", promise: written)
        } else {
            self.channel?.close(promise: nil)
        }
    }

    // MARK: Connecting (driven by WebSocketClient and the handshake handlers)

    func start(address: SocketAddress?) -> EventLoopFuture<WebSocketConnection> {
        let bootstrap = ClientBootstrap(group: self.eventLoop)
            .connectTimeout(self.configuration.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: self.configuration.tcpNoDelay ? 1 : 0)
        if let waterMark = self.configuration.writeBufferWaterMark {
            _ = bootstrap.channelOption(.writeBufferWaterMark, value: waterMark)
        }
        let connected =
            if let address { bootstrap.connect(to: address) } else { bootstrap.connect(host: self.url.host, port: self.url.port) }
        connected.whenComplete { result in
            switch result {
            case .success(let channel): self.attach(channel)
            case .failure(let error): self.connectFailed(error)
            }
        }
        return self.openPromise.futureResult.map { self }
    }

    private func attach(_ channel: any Channel) {
        self.channel = channel
        channel.closeFuture.whenComplete { _ in self.channelClosed() }
        guard self.info.error == nil else {
            channel.close(promise: nil)
            return
        }
        self.stats.tcpConnectTime = .now() - self.startedAt
        self.timeout = self.eventLoop.scheduleTask(in: self.configuration.connectTimeout) {
            self.handshakeFailed(WebSocketClientError.timedOut.with("no WebSocket upgrade from \(self.url) within \(self.configuration.connectTimeout)"))
        }
        do {
            if self.url.isSecure {
                // First, so the upgrade request waits for the TLS handshake and every byte after
                // it is encrypted; its failures reach UpgradeRequestHandler as `.tlsFailed`.
                let tls: WebSocketTLS
                do {
                    tls = try self.configuration.tls ?? WebSocketTLS.systemDefault.get()
                    try channel.pipeline.syncOperations.addHandler(tls.makeHandler(host: self.url.host))
                } catch {
                    return self.handshakeFailed(WebSocketClientError.tlsFailed.with("\(error)"))
                }
            }
            let requestHandler = UpgradeRequestHandler(connection: self)
            let upgrader = ClientUpgrader(connection: self, requestHandler: requestHandler)
            // The server may send its first frames in the same segment as the 101 response:
            // those bytes must reach the WebSocket decoder, not be dropped with the HTTP decoder.
            try channel.pipeline.syncOperations.addHTTPClientHandlers(
                leftOverBytesStrategy: .forwardBytes,
                withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
            )
            try channel.pipeline.syncOperations.addHandler(requestHandler)
        } catch {
            self.handshakeFailed(WebSocketClientError.handshakeFailed.with("\(error)"))
        }
    }

    private func connectFailed(_ error: any Error) {
        guard self.phase == .connecting else { return }
        let reason: WebSocketClientError
        if let error = error as? ChannelError, case .connectTimeout = error {
            reason = .timedOut.with("TCP connect to \(self.url.hostHeader) took longer than \(self.configuration.connectTimeout)")
        } else {
            reason = .connectFailed.with("\(self.url.hostHeader): \(error)")
        }
        if self.info.error == nil { self.info.error = reason }
        self.finish()
    }

    /// Fails the handshake; the channel's close then fails the connect future.
    func handshakeFailed(_ error: WebSocketClientError) {
        guard self.phase == .connecting else { return }
        if self.info.error == nil { self.info.error = error }
        self.channel?.close(promise: nil)
    }

    /// Called by the frame handler once the upgrade is done and the WebSocket handlers are in.
    func opened(context: ChannelHandlerContext) {
        self.timeout?.cancel()
        self.timeout = nil
        guard self.phase == .connecting, self.info.error == nil else {
            context.close(promise: nil)
            return
        }
        self.context = context
        self.phase = .open
        self.didOpen = true
        self.stats.handshakeTime = .now() - self.startedAt
        self.delegate?.webSocketDidOpen(self)
        self.openPromise.succeed(())
    }

    private func channelClosed() {
        guard self.phase != .closed else { return }
        if !self.didOpen, self.info.error == nil {
            self.info.error = WebSocketClientError.closedDuringHandshake.with("\(self.url)")
        }
        self.finish()
    }

    private func finish() {
        self.phase = .closed
        self.timeout?.cancel()
        self.timeout = nil
        if self.didOpen {
            self.delegate?.webSocket(self, didCloseWith: self.info)
        } else {
            self.openPromise.fail(self.info.error ?? WebSocketClientError.closedDuringHandshake)
        }
        self.closePromise.succeed(self.info)
        self.delegate = nil
        self.context = nil
        self.channel = nil
    }

    // MARK: Receiving (from WebSocketFrameHandler)

    /// A whole message or a control frame, its payload unmasked; `wireBytes` is what its
    /// frame took on the wire (the last fragment's, for a fragmented message).
    func received(opcode: WebSocketOpcode, payload: ByteBuffer, wireBytes: Int) {
        guard self.phase == .open || self.phase == .closing, !self.info.receivedClose else { return }
        self.stats.wireBytesIn += wireBytes
        switch opcode {
        case .binary:
            self.stats.messagesIn += 1
            self.stats.bytesIn += payload.readableBytes
            self.delegate?.webSocket(self, didReceive: payload)
        case .text:
            self.fail(.unacceptableData, .unsupportedData.with("text message; the protocol is binary"))
        case .ping:
            if self.phase == .open {
                payload.withUnsafeReadableBytes { self.writeFrame(.pong, payload: $0, promise: nil) }
            }
        case .pong:
            break
        default:
            self.peerClosed(payload)
        }
    }

    /// A fragment of a message still arriving.
    func receivedFragment(wireBytes: Int) {
        guard self.phase == .open || self.phase == .closing, !self.info.receivedClose else { return }
        self.stats.wireBytesIn += wireBytes
    }

    /// The server broke RFC 6455 (the parser's verdict, with its close code).
    func violated(_ violation: WebSocketViolation) {
        switch violation {
        case .frameTooLarge, .messageTooLarge:
            self.fail(.messageTooLarge, .messageTooLarge.with("larger than \(self.configuration.maxMessageSize) bytes"))
        default:
            self.fail(violation.code, .protocolViolation.with(violation.description))
        }
    }

    private func peerClosed(_ payload: ByteBuffer) {
        var payload = payload
        var code: WebSocketErrorCode?
        if payload.readableBytes == 1 {
            self.fail(.protocolError, .protocolViolation.with("close frame with a 1-byte payload"))
            return
        }
        if let raw = payload.readInteger(as: UInt16.self) {
            guard Self.isValidCloseCode(raw) else {
                self.fail(.protocolError, .protocolViolation.with("invalid close code \(raw)"))
                return
            }
            code = WebSocketErrorCode(codeNumber: Int(raw))
        }
        guard let reason = Self.validUTF8(payload.readableBytesView) else {
            self.fail(.dataInconsistentWithMessage, .protocolViolation.with("close reason is not UTF-8"))
            return
        }
        self.info.receivedClose = true
        self.info.receivedCode = code
        self.info.receivedReason = reason
        switch self.phase {
        case .open:
            // Echo the code, then let the server close TCP first (RFC 6455 §7.1.1), bounded.
            self.phase = .closing
            self.writeClose(code: code, reason: "")
            self.scheduleCloseTimeout()
        case .closing:
            // The answer to our close: both halves are done.
            self.channel?.close(promise: nil)
        case .connecting, .closed:
            break
        }
    }

    /// Codes a peer may put on the wire: 1004-1006 and 1015 are reserved for local use.
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        WebSocketCloseHandshake.isValidFromPeer(code)
    }

    static func validUTF8(_ bytes: ByteBufferView) -> String? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var result = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.append(scalar)
            case .emptyInput: return String(result)
            case .error: return nil
            }
        }
    }

    func caught(_ error: any Error) {
        if self.info.error == nil {
            self.info.error = WebSocketClientError.transportError.with("\(error)")
        }
        self.channel?.close(promise: nil)
    }

    func writabilityChanged(isWritable: Bool) {
        guard self.phase == .open else { return }
        self.delegate?.webSocketWritabilityChanged(self, isWritable: isWritable)
    }

    func handlerRemoved() {
        self.context = nil
    }
}
