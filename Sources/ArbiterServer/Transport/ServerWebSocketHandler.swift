import Logging
import NIOCore
import NIOWebSocket

/// The RFC 6455 side of a connection, after `NIOWebSocketFrameAggregator`: answers pings, runs
/// the close handshake, turns every protocol error into the right close code, tracks
/// writability and drops peers that stop reading. Runs only on the channel's event loop.
final class ServerWebSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private enum State {
        case open
        /// A close frame went out; waiting for the peer's answer or the close timer.
        case closing
        case closed
    }

    let connection: ServerWebSocket
    private let settings: TransportSettings
    private let metrics: TransportMetrics
    private let logger: Logger
    /// Echo only: write every reply and stop reading while the socket is full, instead of
    /// dropping; the game never does this (it drops superseded snapshots instead).
    private let pausesReadsWhileUnwritable: Bool
    private let maxMessageSize: Int

    private var state = State.open
    private var context: ChannelHandlerContext?
    /// The upgrader's `WebSocketFrameEncoder`, which cannot be removed: every frame is written
    /// from its context, already framed (`ServerFrameHeader`), so it goes straight past it.
    private var wire: ChannelHandlerContext?
    private var closeInfo: ServerWebSocket.CloseInfo?
    private var slowClientTimer: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?
    /// Only the newest unanswered ping is kept (RFC 6455 5.5.3), so pings cannot pile up pongs.
    private var pendingPong: ByteBuffer?
    private var readsPaused = false
    private let openedAt = NIODeadline.now()
    /// Finds a peer that stopped reading while the kernel buffers still take bytes.
    private var readProbe: ReadProbe?
    private var stallCheck: Scheduled<Void>?

    init(
        connection: ServerWebSocket,
        settings: TransportSettings,
        metrics: TransportMetrics,
        logger: Logger,
        maxMessageSize: Int,
        pausesReadsWhileUnwritable: Bool,
        probesReading: Bool
    ) {
        if probesReading {
            self.readProbe = ReadProbe(timeout: settings.slowClientTimeout.nanoseconds, now: Self.now)
        }
        self.maxMessageSize = maxMessageSize
        self.connection = connection
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.pausesReadsWhileUnwritable = pausesReadsWhileUnwritable
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        do {
            self.wire = try context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        } catch {
            // Our upgrade pipeline always has the encoder; without it every write would hand raw
            // bytes to a handler expecting frames. A bug, so refuse the connection loudly.
            self.logger.critical("WebSocket pipeline has no WebSocketFrameEncoder; closing", metadata: ["error": "\(error)"])
            assertionFailure("WebSocket pipeline has no WebSocketFrameEncoder")
            context.close(promise: nil)
            return
        }
        self.connection.handler = self
        self.connection.isWritable = context.channel.isWritable
        self.metrics.connections.increment()
        self.logger.info(
            "connection opened",
            metadata: ["path": "\(self.connection.request.path)", "remote": "\(self.connection.request.remote)"]
        )
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.finish()
        self.context = nil
        self.wire = nil
        self.connection.handler = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish()
        context.fireChannelInactive()
    }

    private func finish() {
        guard case .closed = self.state else {
            self.state = .closed
            self.slowClientTimer?.cancel()
            self.closeTimer?.cancel()
            self.stallCheck?.cancel()
            self.connection.isOpen = false
            self.metrics.connections.decrement()
            let info = self.closeInfo ?? .init(code: nil, reason: "connection lost")
            let seconds = Double((NIODeadline.now() - self.openedAt).nanoseconds) / 1e9
            self.logger.info(
                "connection closed",
                metadata: ["reason": "\(info)", "seconds": "\((seconds * 10).rounded() / 10)"]
            )
            let onClose = self.connection.onClose
            // Drop the callbacks: they usually capture the session, which holds the connection.
            self.connection.onMessage = nil
            self.connection.onText = nil
            self.connection.onWritable = nil
            self.connection.onClose = nil
            onClose?(info)
            return
        }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            guard case .open = self.state else { return }
            self.metrics.messagesIn.increment()
            self.metrics.bytesIn.increment(by: frame.length)
            guard let onMessage = self.connection.onMessage else { return }
            let buffers = self.connection.buffers
            buffers.received.clear()
            buffers.received.writeImmutableBuffer(frame.data)
            if let key = frame.maskKey { buffers.received.webSocketUnmask(key) }
            onMessage(buffers.received)
            buffers.shrinkReceived()
        case .text:
            guard case .open = self.state else { return }
            guard let onText = self.connection.onText else {
                return self.fail(.unacceptableData, reason: CloseCode.textFrameReason, kind: "text_frame")
            }
            let text = frame.unmaskedData
            guard text.isValidUTF8 else {
                return self.fail(.dataInconsistentWithMessage, reason: "invalid UTF-8 in text message", kind: "invalid_utf8")
            }
            self.metrics.messagesIn.increment()
            self.metrics.bytesIn.increment(by: frame.length)
            onText(text)
        case .ping:
            guard case .open = self.state else { return }
            if context.channel.isWritable {
                self.writeFrame(opcode: .pong, data: frame.unmaskedData, context: context)
                context.flush()
            } else {
                self.pendingPong = frame.unmaskedData
            }
        case .pong:
            var payload = frame.unmaskedData
            if payload.readableBytes == 8, let token = payload.readInteger(as: UInt64.self) {
                self.readProbe?.pongReceived(token: token, now: Self.now)
            }
        case .connectionClose:
            self.receivedClose(frame, context: context)
        default:
            self.fail(.protocolError, reason: "reserved opcode \(frame.opcode)", kind: "reserved_opcode")
        }
    }

    private func receivedClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        guard case .open = self.state else {
            // The peer answered our close: the handshake is complete, the server closes TCP.
            context.close(promise: nil)
            return
        }
        var payload = frame.unmaskedData
        var reply = context.channel.allocator.buffer(capacity: 2)
        switch payload.readableBytes {
        case 0:
            self.closeInfo = .init(code: nil, reason: "peer closed")
        case 1:
            return self.fail(.protocolError, reason: "close frame with a 1-byte payload", kind: "bad_close")
        default:
            let code = payload.readInteger(as: UInt16.self)!
            guard CloseCode.isValidFromPeer(code) else {
                return self.fail(.protocolError, reason: "invalid close code \(code)", kind: "bad_close")
            }
            guard payload.isValidUTF8 else {
                return self.fail(.dataInconsistentWithMessage, reason: CloseCode.closeReasonNotUTF8, kind: "invalid_utf8")
            }
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            self.closeInfo = .init(code: WebSocketErrorCode(codeNumber: Int(code)), reason: "peer closed: \(reason)")
            reply.writeInteger(code)
        }
        self.state = .closing
        self.connection.isOpen = false
        let loopBound = context.loopBound
        let written = context.eventLoop.makePromise(of: Void.self)
        self.writeFrame(opcode: .connectionClose, data: reply, context: context, promise: written)
        context.flush()
        written.futureResult.whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
        self.armCloseTimer(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength:
            self.fail(.messageTooLarge, reason: CloseCode.tooLargeReason("frame", maxBytes: self.maxMessageSize), kind: "too_large")
        case let error as NIOWebSocketError:
            self.fail(.protocolError, reason: "malformed frame: \(error)", kind: "malformed_frame")
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge,
            NIOWebSocketFrameAggregator.Error.tooManyFragments:
            self.fail(.messageTooLarge, reason: CloseCode.tooLargeReason("message", maxBytes: self.maxMessageSize), kind: "too_large")
        case let error as NIOWebSocketFrameAggregator.Error:
            self.fail(.protocolError, reason: "bad fragmentation: \(error)", kind: "bad_fragmentation")
        case let violation as WebSocketFrameViolation:
            self.fail(.protocolError, reason: violation.description, kind: violation.kind)
        default:
            if self.closeInfo == nil { self.closeInfo = .init(code: nil, reason: "socket error: \(error)") }
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            self.initiateClose(code: CloseCode.shuttingDown, reason: CloseCode.shuttingDownReason)
        case ChannelEvent.inputClosed:
            if self.closeInfo == nil { self.closeInfo = .init(code: nil, reason: "peer closed TCP without a close frame") }
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: Writability

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        self.connection.isWritable = writable
        if writable {
            self.slowClientTimer?.cancel()
            self.slowClientTimer = nil
            if let pong = self.pendingPong, case .open = self.state {
                self.pendingPong = nil
                self.writeFrame(opcode: .pong, data: pong, context: context)
                context.flush()
            }
            if self.readsPaused {
                self.readsPaused = false
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            }
            if case .open = self.state { self.connection.onWritable?() }
        } else if case .open = self.state, self.slowClientTimer == nil {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.slowClientTimer = context.eventLoop.scheduleTask(in: self.settings.slowClientTimeout) {
                loopBound.value.slowClientTimerFired()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func slowClientTimerFired() {
        self.slowClientTimer = nil
        guard case .open = self.state, !self.connection.isWritable else { return }
        self.metrics.slowClientDisconnects.increment()
        self.initiateClose(code: CloseCode.slowClient, reason: CloseCode.slowClientReason)
    }

    // MARK: Outbound

    /// Game path: the connection already checked state and writability.
    func write(opcode: WebSocketOpcode, data: ByteBuffer, flush: Bool) {
        guard let context = self.context else { return }
        self.metrics.messagesOut.increment()
        self.metrics.bytesOut.increment(by: data.readableBytes)
        self.writeFrame(opcode: opcode, data: data, context: context)
        if flush { context.flush() }
    }

    /// Game path for a frame whose header is already in place (`ServerFrameHeader.prepend`).
    func writeFramed(_ frame: ByteBuffer, payloadLength: Int, flush: Bool) {
        guard let context = self.context, let wire = self.wire else { return }
        self.metrics.messagesOut.increment()
        self.metrics.bytesOut.increment(by: payloadLength)
        wire.write(NIOAny(frame), promise: nil)
        if self.readProbe != nil { self.probeReading(context: context) }
        if flush { context.flush() }
    }

    /// Game path, after a message: adds the read probe's ping when one is due, or drops a peer
    /// that left the last one unanswered for the slow-client timeout.
    private func probeReading(context: ChannelHandlerContext) {
        guard let action = self.readProbe?.messageSent(now: Self.now) else { return }
        switch action {
        case .ping(let token):
            var payload = context.channel.allocator.buffer(capacity: ServerFrameHeader.maxSize + 8)
            payload.moveWriterIndex(forwardBy: ServerFrameHeader.maxSize)
            payload.moveReaderIndex(forwardBy: ServerFrameHeader.maxSize)
            payload.writeInteger(token)
            self.writeFrame(opcode: .ping, data: payload, context: context)
        case .stalled:
            // The pong may be waiting in the socket behind a busy loop (this send can run before
            // the loop's next round of reads): judge a little later, after those reads.
            guard self.stallCheck == nil, let probe = self.readProbe else { return }
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.stallCheck = context.eventLoop.scheduleTask(in: .nanoseconds(probe.interval)) {
                loopBound.value.stallCheckFired()
            }
        case .none:
            break
        }
    }

    private func stallCheckFired() {
        self.stallCheck = nil
        guard case .open = self.state, self.readProbe?.isStalled(now: Self.now) == true else { return }
        self.metrics.slowClientDisconnects.increment()
        self.initiateClose(code: CloseCode.slowClient, reason: CloseCode.slowClientReason)
    }

    private static var now: Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }

    /// Echo path: always writes, and stops reading until the socket drains, so memory stays at
    /// about one message however fast the peer sends.
    func enqueue(opcode: WebSocketOpcode, data: ByteBuffer) {
        guard case .open = self.state, let context = self.context else { return }
        self.write(opcode: opcode, data: data, flush: true)
        if self.pausesReadsWhileUnwritable, !context.channel.isWritable, !self.readsPaused {
            self.readsPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    /// Prepends the header when `data` has room in front and no one else holds it (no copy),
    /// else writes the header as a small buffer of its own before the payload.
    private func writeFrame(
        opcode: WebSocketOpcode, data: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil
    ) {
        guard let wire = self.wire else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var data = data
        let prepended = data.modifyIfUniquelyOwned { ServerFrameHeader.prepend(opcode: opcode, to: &$0) } ?? false
        if !prepended {
            var header = context.channel.allocator.buffer(capacity: ServerFrameHeader.maxSize)
            ServerFrameHeader.write(opcode: opcode, length: data.readableBytes, to: &header)
            wire.write(NIOAny(header), promise: nil)
        }
        wire.write(NIOAny(data), promise: promise)
    }

    // MARK: Closing

    func initiateClose(code: WebSocketErrorCode, reason: String) {
        guard case .open = self.state, let context = self.context else { return }
        self.state = .closing
        self.connection.isOpen = false
        self.closeInfo = .init(code: code, reason: reason)
        self.writeCloseFrame(code: code, reason: reason, context: context)
        if context.channel.isWritable {
            self.armCloseTimer(context: context)
        } else {
            // The peer is not reading; it would never see our frame nor answer it.
            context.close(promise: nil)
        }
    }

    /// Fails the connection (RFC 6455 7.1.7): close frame with the code, then TCP close.
    private func fail(_ code: WebSocketErrorCode, reason: String, kind: String) {
        self.metrics.protocolError(kind: kind)
        guard case .open = self.state, let context = self.context else {
            self.context?.close(promise: nil)
            return
        }
        self.state = .closing
        self.connection.isOpen = false
        self.closeInfo = .init(code: code, reason: reason)
        // Half-close, then keep reading (and discarding) until the peer closes or the timer
        // fires: closing with unread input would send a RST that can destroy our close frame
        // before the peer has read it.
        let loopBound = context.loopBound
        self.writeCloseFrame(code: code, reason: reason, context: context).whenComplete { _ in
            loopBound.value.close(mode: .output, promise: nil)
        }
        self.armCloseTimer(context: context)
    }

    @discardableResult
    private func writeCloseFrame(code: WebSocketErrorCode, reason: String, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        var payload = context.channel.allocator.buffer(capacity: 2 + 123)
        payload.write(webSocketErrorCode: code)
        payload.writeBytes(reason.utf8Prefix(maxBytes: 123))
        let promise = context.eventLoop.makePromise(of: Void.self)
        self.writeFrame(opcode: .connectionClose, data: payload, context: context, promise: promise)
        context.flush()
        return promise.futureResult
    }

    private func armCloseTimer(context: ChannelHandlerContext) {
        guard self.closeTimer == nil else { return }
        let loopBound = context.loopBound
        self.closeTimer = context.eventLoop.scheduleTask(in: self.settings.closeTimeout) {
            loopBound.value.close(promise: nil)
        }
    }
}

extension String {
    /// The longest prefix of whole characters' bytes that fits `maxBytes`.
    func utf8Prefix(maxBytes: Int) -> ArraySlice<UInt8> {
        let bytes = Array(self.utf8)
        guard bytes.count > maxBytes else { return bytes[...] }
        var end = maxBytes
        // Back off continuation bytes (10xxxxxx) so a scalar is never cut in half.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[..<end]
    }
}

extension ByteBuffer {
    /// Whole-buffer UTF-8 check, through the standard library's vectorised validator.
    var isValidUTF8: Bool {
        self.readableBytesView.withContiguousStorageIfAvailable { String(validating: $0, as: UTF8.self) != nil }
            ?? (String(validating: self.readableBytesView, as: UTF8.self) != nil)
    }
}
