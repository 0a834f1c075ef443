import ArbiterWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// The RFC 6455 side of a connection, straight on the socket's bytes: parses frames in place
/// (`WebSocketFrameParser`) and hands whole messages up from the loop's buffer, answers pings,
/// runs the close handshake (`WebSocketCloseHandshake`), turns every protocol error into the
/// right close code, tracks writability and drops peers that stop reading. Runs only on the
/// channel's event loop.
final class ServerWebSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = WebSocketFrame

    let connection: ServerWebSocket
    /// The two settings a connection uses, not a copy of all of `TransportSettings` (112 bytes
    /// more in every connection's handler).
    private let slowClientTimeout: TimeAmount
    private let closeTimeout: TimeAmount
    private let metrics: TransportMetrics
    private let logger: Logger
    /// Echo only: write every reply and stop reading while the socket is full, instead of
    /// dropping; the game never does this (it drops superseded snapshots instead).
    private let pausesReadsWhileUnwritable: Bool

    private var handshake = WebSocketCloseHandshake()
    private var parser: WebSocketFrameParser
    /// The bytes of a frame that a read ended inside of, until the rest arrives; nil otherwise
    /// (the usual case: a read holds whole frames).
    private var partialFrame: ByteBuffer?
    /// A fragmented message's part so far, while its fragments arrive over several reads (a
    /// whole message is assembled in the loop's buffer instead).
    private var partialMessage: ByteBuffer?
    /// After a protocol violation every further byte is dropped: the connection is failing.
    private var discardsInput = false
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
    /// The socket, while game frames may go to it directly (`DirectSocketWrite`); nil for TLS,
    /// echo, or once closing.
    private var descriptor: CInt?
    /// Writes of ours handed to NIO and not yet completed: none may be overtaken.
    private var nioWritesInFlight = 0
    /// Set when a first write through NIO completed (the upgrade's response is out by then).
    private var directReady = false

    init(
        connection: ServerWebSocket,
        settings: TransportSettings,
        metrics: TransportMetrics,
        logger: Logger,
        maxMessageSize: Int,
        maxFragments: Int,
        pausesReadsWhileUnwritable: Bool,
        probesReading: Bool,
        descriptor: CInt? = nil
    ) {
        self.descriptor = descriptor
        self.parser = WebSocketFrameParser(maxMessageSize: maxMessageSize, maxFragments: maxFragments)
        if probesReading {
            self.readProbe = ReadProbe(timeout: settings.slowClientTimeout.nanoseconds, now: Self.now)
        }
        self.connection = connection
        self.slowClientTimeout = settings.slowClientTimeout
        self.closeTimeout = settings.closeTimeout
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
            self.logger.critical(
                "WebSocket pipeline has no WebSocketFrameEncoder; closing", metadata: ["conn": "\(self.connection.id)", "error": "\(error)"])
            assertionFailure("WebSocket pipeline has no WebSocketFrameEncoder")
            context.close(promise: nil)
            return
        }
        self.connection.handler = self
        self.connection.isWritable = context.channel.isWritable
        self.metrics.connections.increment()
        self.logger.info(
            "connection opened",
            metadata: [
                "conn": "\(self.connection.id)", "path": "\(self.connection.request.path)", "remote": "\(self.connection.request.remote)",
            ]
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
        self.descriptor = nil
        guard self.handshake.closed() else { return }
        self.partialFrame = nil
        self.partialMessage = nil
        self.slowClientTimer?.cancel()
        self.closeTimer?.cancel()
        self.stallCheck?.cancel()
        self.connection.isOpen = false
        self.metrics.connections.decrement()
        let info = self.closeInfo ?? .init(code: nil, reason: "connection lost")
        let seconds = Double((NIODeadline.now() - self.openedAt).nanoseconds) / 1e9
        self.logger.info(
            "connection closed",
            metadata: ["conn": "\(self.connection.id)", "reason": "\(info)", "seconds": "\((seconds * 10).rounded() / 10)"]
        )
        let onClose = self.connection.onClose
        // Drop the callbacks: they usually capture the session, which holds the connection.
        self.connection.onMessage = nil
        self.connection.onText = nil
        self.connection.onWritable = nil
        self.connection.onClose = nil
        onClose?(info)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.discardsInput else { return }
        var input = Self.unwrapInboundIn(data)
        if var partial = self.partialFrame {
            // Unique once the property lets go, so appending does not copy.
            self.partialFrame = nil
            partial.writeBuffer(&input)
            self.parseFrames(&partial, context: context)
            guard !self.discardsInput, partial.readableBytes > 0 else { return }
            partial.discardReadBytes()
            self.partialFrame = partial
        } else {
            self.parseFrames(&input, context: context)
            guard !self.discardsInput, input.readableBytes > 0 else { return }
            // Copied out of the read buffer, which NIO reuses for the next read when no one
            // else holds it.
            var copy = context.channel.allocator.buffer(capacity: max(input.readableBytes * 2, 256))
            copy.writeBuffer(&input)
            self.partialFrame = copy
        }
    }

    /// Every whole frame in `input`, in order; stops at an incomplete one or a violation.
    private func parseFrames(_ input: inout ByteBuffer, context: ChannelHandlerContext) {
        let buffers = self.connection.buffers
        while !self.discardsInput {
            let step =
                if self.partialMessage != nil {
                    self.parser.next(&input, message: &self.partialMessage!, control: &buffers.control)
                } else {
                    self.parser.next(&input, message: &buffers.received, control: &buffers.control)
                }
            switch step {
            case .needMoreBytes:
                return
            case .fragment:
                if self.partialMessage == nil {
                    // The loop's buffer serves every connection on the loop: the first fragment
                    // moves to a buffer of this connection's own until the message is whole.
                    var own = context.channel.allocator.buffer(capacity: max(buffers.received.readableBytes * 2, 1024))
                    own.writeImmutableBuffer(buffers.received)
                    self.partialMessage = own
                }
            case .message(let opcode):
                if let message = self.partialMessage {
                    self.partialMessage = nil
                    self.received(message, opcode: opcode)
                } else {
                    self.received(buffers.received, opcode: opcode)
                    buffers.shrinkReceived()
                }
            case .control(let opcode):
                self.receivedControl(buffers.control, opcode: opcode, context: context)
            case .violation(let violation):
                self.fail(violation)
                return
            }
        }
    }

    private func received(_ message: ByteBuffer, opcode: WebSocketOpcode) {
        guard self.handshake.deliversMessages() else { return }
        if opcode == .text {
            guard let onText = self.connection.onText else {
                return self.fail(.unacceptableData, reason: CloseCode.textFrameReason, kind: "text_frame")
            }
            self.metrics.messagesIn.increment()
            self.metrics.bytesIn.increment(by: message.readableBytes)
            onText(message)
        } else {
            self.metrics.messagesIn.increment()
            self.metrics.bytesIn.increment(by: message.readableBytes)
            self.connection.onMessage?(message)
        }
    }

    private func receivedControl(_ payload: ByteBuffer, opcode: WebSocketOpcode, context: ChannelHandlerContext) {
        switch opcode {
        case .ping:
            guard self.handshake.answersPing() else { return }
            if context.channel.isWritable {
                self.writeFrame(opcode: .pong, data: payload, context: context)
                context.flush()
            } else {
                // Only the newest unanswered ping is kept (RFC 6455 5.5.3).
                self.pendingPong = payload
            }
        case .pong:
            if payload.readableBytes == 8, let token = payload.getInteger(at: payload.readerIndex, as: UInt64.self) {
                self.readProbe?.pongReceived(token: token, now: Self.now)
            }
        default:
            self.receivedClose(payload, context: context)
        }
    }

    private func receivedClose(_ payload: ByteBuffer, context: ChannelHandlerContext) {
        switch self.handshake.receivedClose(payload: payload) {
        case .ignore:
            return
        case .closeConnection:
            // The peer answered our close: the handshake is complete, the server closes TCP.
            context.close(promise: nil)
        case .fail(let violation):
            self.fail(violation)
        case .answer(let code, let reason):
            var reply = context.channel.allocator.buffer(capacity: 2)
            if let code {
                self.closeInfo = .init(code: WebSocketErrorCode(codeNumber: Int(code)), reason: "peer closed: \(reason ?? "")")
                reply.writeInteger(code)
            } else {
                self.closeInfo = .init(code: nil, reason: "peer closed")
            }
            self.connection.isOpen = false
            // Nothing the peer sends after its close frame counts (RFC 6455 5.5.1).
            self.discardsInput = true
            let loopBound = context.loopBound
            let written = context.eventLoop.makePromise(of: Void.self)
            self.writeFrame(opcode: .connectionClose, data: reply, context: context, promise: written)
            context.flush()
            written.futureResult.whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
            self.armCloseTimer(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if self.closeInfo == nil { self.closeInfo = .init(code: nil, reason: "socket error: \(error)") }
        context.close(promise: nil)
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
            if let pong = self.pendingPong, self.handshake.isOpen {
                self.pendingPong = nil
                self.writeFrame(opcode: .pong, data: pong, context: context)
                context.flush()
            }
            if self.readsPaused {
                self.readsPaused = false
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            }
            if self.handshake.isOpen { self.connection.onWritable?() }
        } else if self.handshake.isOpen, self.slowClientTimer == nil {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            self.slowClientTimer = context.eventLoop.scheduleTask(in: self.slowClientTimeout) {
                loopBound.value.slowClientTimerFired()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func slowClientTimerFired() {
        self.slowClientTimer = nil
        guard self.handshake.isOpen, !self.connection.isWritable else { return }
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

    /// Game path for a frame whose header is already in place (`ServerFrameHeader.prepend`):
    /// straight to the socket when it can be (`DirectSocketWrite`), else through NIO.
    func writeFramed(_ frame: ByteBuffer, payloadLength: Int, flush: Bool) {
        // `descriptor` goes at `channelInactive`, which NIO fires in the same turn of the loop as
        // it closes the socket (before any other task): a closed descriptor is never written.
        // The direct path binds neither context until the kernel leaves bytes over: each binding
        // is a retain and a release per client per tick.
        if flush, let descriptor = self.descriptor, self.directReady, self.nioWritesInFlight == 0 {
            self.metrics.messagesOut.increment()
            self.metrics.bytesOut.increment(by: payloadLength)
            let sent = frame.withUnsafeReadableBytes { DirectSocketWrite.sendNow(descriptor, $0) }
            if sent < frame.readableBytes {
                guard let context = self.context, let wire = self.wire else { return }
                // The socket is full (or failing): NIO writes the rest when it drains (or meets
                // the error and closes), and everything after it waits behind it.
                var rest = frame
                rest.moveReaderIndex(forwardBy: sent)
                wire.write(NIOAny(rest), promise: self.counted(nil, context: context))
            }
            if self.readProbe != nil, let context = self.context { self.probeReading(context: context) }
            if self.nioWritesInFlight > 0 { self.wire?.flush() }
            return
        }
        guard let context = self.context, let wire = self.wire else { return }
        self.metrics.messagesOut.increment()
        self.metrics.bytesOut.increment(by: payloadLength)
        wire.write(NIOAny(frame), promise: self.counted(nil, context: context))
        if self.readProbe != nil { self.probeReading(context: context) }
        // From the encoder's place, as the write: the flush skips the encoder's pass-through.
        if flush { wire.flush() }
    }

    /// The promise for a write handed to NIO, counted until it completes while this connection
    /// may write directly; `promise` itself otherwise (no allocation).
    private func counted(_ promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) -> EventLoopPromise<Void>? {
        guard self.descriptor != nil else { return promise }
        let counted = promise ?? context.eventLoop.makePromise(of: Void.self)
        self.nioWritesInFlight += 1
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        counted.futureResult.whenComplete { result in
            let handler = loopBound.value
            handler.nioWritesInFlight -= 1
            if case .success = result { handler.directReady = true }
        }
        return counted
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
        guard self.handshake.isOpen, self.readProbe?.isStalled(now: Self.now) == true else { return }
        self.metrics.slowClientDisconnects.increment()
        self.initiateClose(code: CloseCode.slowClient, reason: CloseCode.slowClientReason)
    }

    private static var now: Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }

    /// Echo path: always writes, and stops reading until the socket drains, so memory stays at
    /// about one message however fast the peer sends.
    func enqueue(opcode: WebSocketOpcode, data: ByteBuffer) {
        guard self.handshake.isOpen, let context = self.context else { return }
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
        wire.write(NIOAny(data), promise: self.counted(promise, context: context))
    }

    // MARK: Closing

    func initiateClose(code: WebSocketErrorCode, reason: String) {
        guard let context = self.context, self.handshake.close() else { return }
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

    /// A broken frame: nothing after it can be trusted to be a frame, so every further byte is
    /// dropped (the peer's close answer too; the close timer or the peer's TCP close ends it).
    private func fail(_ violation: WebSocketViolation) {
        self.discardsInput = true
        self.partialFrame = nil
        self.partialMessage = nil
        self.fail(violation.code, reason: violation.description, kind: violation.kind)
    }

    /// Fails the connection (RFC 6455 7.1.7): close frame with the code, then TCP close.
    private func fail(_ code: WebSocketErrorCode, reason: String, kind: String) {
        self.metrics.protocolError(kind: kind)
        guard let context = self.context, self.handshake.close() else {
            self.context?.close(promise: nil)
            return
        }
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
        self.closeTimer = context.eventLoop.scheduleTask(in: self.closeTimeout) {
            loopBound.value.close(promise: nil)
        }
    }
}
