import NIOCore
import NIOWebSocket

/// The close handshake (RFC 6455 7), as a pure state machine: events in, actions out, so each
/// rule is tested without a socket (modelled on swift-websocket's `WebSocketStateMachine`).
/// The handler does the writing, the timers and the TCP close.
public struct WebSocketCloseHandshake: Equatable, Sendable {
    public enum State: Equatable, Sendable {
        case open
        /// A close frame went out (ours, or our answer to the peer's); waiting for the peer's
        /// answer, our answer's write, or the close timer.
        case closing
        case closed
    }

    public private(set) var state = State.open

    public init() {}

    public var isOpen: Bool { self.state == .open }

    /// We start closing (a failure, a kick, a slow client, shutdown): true when a close frame
    /// should go out; false when one already did or the connection is gone.
    public mutating func close() -> Bool {
        guard self.state == .open else { return false }
        self.state = .closing
        return true
    }

    public enum ReceivedClose: Equatable, Sendable {
        /// Answer with a close frame carrying `code` (nil: an empty payload, as the peer's),
        /// then close TCP once it is written. `reason` is what the peer said, for the log.
        case answer(code: UInt16?, reason: String?)
        /// The peer answered our close: the handshake is complete, close TCP.
        case closeConnection
        /// The peer's close frame breaks the rules: fail the connection instead.
        case fail(WebSocketViolation)
        case ignore
    }

    /// The peer's close frame, its payload unmasked.
    public mutating func receivedClose(payload: ByteBuffer) -> ReceivedClose {
        switch self.state {
        case .closing:
            return .closeConnection
        case .closed:
            return .ignore
        case .open:
            var payload = payload
            switch payload.readableBytes {
            case 0:
                self.state = .closing
                return .answer(code: nil, reason: nil)
            case 1:
                return .fail(.closePayloadOfOneByte)
            default:
                let code = payload.readInteger(as: UInt16.self)!
                guard Self.isValidFromPeer(code) else { return .fail(.invalidCloseCode(code)) }
                guard WebSocketUTF8.isValid(payload.readableBytesView) else { return .fail(.closeReasonNotUTF8) }
                self.state = .closing
                return .answer(code: code, reason: payload.readString(length: payload.readableBytes) ?? "")
            }
        }
    }

    /// A ping gets its pong only while open: after a close frame nothing more is sent.
    public func answersPing() -> Bool { self.isOpen }

    /// Data messages are delivered only while open.
    public func deliversMessages() -> Bool { self.isOpen }

    /// The channel is gone, whoever closed it: true the first time (the moment to report it).
    public mutating func closed() -> Bool {
        guard self.state != .closed else { return false }
        self.state = .closed
        return true
    }

    /// Whether a peer may send `code` in a close frame (RFC 6455 7.4, IANA registry).
    public static func isValidFromPeer(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014: true
        case 3000...4999: true
        default: false
        }
    }
}
