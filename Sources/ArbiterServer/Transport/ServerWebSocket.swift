import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// One accepted WebSocket, as the game layer sees it.
///
/// Threading: everything here belongs to `eventLoop` (the channel's loop). Properties, methods
/// and callbacks are used and run only on that loop, which is what lets per-client state
/// (baselines, writability) live here and in the session without locks. Not `Sendable` on
/// purpose; to reach it from elsewhere, hop with `eventLoop.execute` (e.g. the room fan-out).
public final class ServerWebSocket {
    public typealias ID = UInt64

    public enum SendResult: Sendable, Equatable {
        /// Handed to the socket; the caller may treat it as the peer's new baseline.
        case written
        /// The socket is above its high watermark: nothing was queued, keep the old baseline.
        case notWritable
        /// The connection is closing or closed.
        case closed
    }

    /// Why a connection ended, for the log line and the session layer.
    public struct CloseInfo: Sendable, CustomStringConvertible {
        /// The close code sent or received, when there was a close frame.
        public var code: WebSocketErrorCode?
        public var reason: String
        public var description: String {
            code.map { "\(UInt16(webSocketErrorCode: $0)) \(reason)" } ?? reason
        }
    }

    public let id: ID
    public let eventLoop: any EventLoop
    public let request: WebSocketRequest
    /// Mirrors the channel's writability (watermarks from `TransportSettings`).
    public internal(set) var isWritable = true
    /// False from the moment either side starts closing.
    public internal(set) var isOpen = true

    /// A complete binary message. The buffer is only valid during the call unless copied.
    public var onMessage: ((ByteBuffer) -> Void)?
    /// A complete, UTF-8 validated text message. Leave nil to refuse text frames with 1003.
    public var onText: ((ByteBuffer) -> Void)?
    /// The socket drained below its low watermark: a good moment to send the newest state.
    public var onWritable: (() -> Void)?
    /// Runs once when the channel is gone, whoever closed it.
    public var onClose: ((CloseInfo) -> Void)?

    /// Set by the handler while it is in the pipeline.
    var handler: ServerWebSocketHandler?
    let buffers: LoopBuffers

    private static let nextID = NIOLockedValueBox<ID>(0)

    package init(eventLoop: any EventLoop, request: WebSocketRequest, allocator: ByteBufferAllocator) {
        self.id = Self.nextID.withLockedValue { value in
            value += 1
            return value
        }
        self.eventLoop = eventLoop
        self.request = request
        self.buffers = LoopBuffers.forCurrentThread(allocator: allocator)
    }

    /// Sends one binary message if the socket can take it now (never queues behind a slow
    /// peer), copied from `bytes` (e.g. a reusable encoder's output) through
    /// this loop's send buffer: no allocation once NIO has written the previous message out.
    @discardableResult
    public func send(bytes: some Collection<UInt8>) -> SendResult {
        self.eventLoop.preconditionInEventLoop()
        guard self.isOpen, let handler = self.handler else { return .closed }
        guard self.isWritable else { return .notWritable }
        let buffers = self.buffers
        // A write still in the socket's queue keeps its reference: `clear` then leaves it that
        // storage and takes fresh storage (copy-on-write); otherwise the storage is reused.
        buffers.send.clear()
        buffers.send.moveWriterIndex(forwardBy: ServerFrameHeader.maxSize)
        buffers.send.moveReaderIndex(forwardBy: ServerFrameHeader.maxSize)
        buffers.send.writeBytes(bytes)
        _ = ServerFrameHeader.prepend(opcode: .binary, to: &buffers.send)
        handler.writeFramed(buffers.send, payloadLength: bytes.count, flush: true)
        return .written
    }

    /// Sends a close frame with `code` and `reason` (cut to the 123 bytes a close frame can
    /// carry), then closes TCP when the peer answers or after `closeTimeout`; at once if the
    /// peer is not reading anyway. Messages arriving after this are ignored.
    public func close(code: WebSocketErrorCode, reason: String) {
        self.eventLoop.preconditionInEventLoop()
        self.handler?.initiateClose(code: code, reason: reason)
    }

}
