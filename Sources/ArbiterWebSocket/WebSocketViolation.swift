import NIOWebSocket

/// A way a peer broke RFC 6455, with the close code to fail the connection with (7.4.1).
public enum WebSocketViolation: Equatable, Error, CustomStringConvertible, Sendable {
    case reservedBits
    case unmasked
    case masked
    case reservedOpcode(UInt8)
    case fragmentedControl
    case controlTooLong
    case unexpectedContinuation
    case expectedContinuation
    case badLength
    case frameTooLarge(maxBytes: Int)
    case messageTooLarge(maxBytes: Int)
    case invalidUTF8
    case closePayloadOfOneByte
    case invalidCloseCode(UInt16)
    case closeReasonNotUTF8

    public var code: WebSocketErrorCode {
        switch self {
        case .frameTooLarge, .messageTooLarge: .messageTooLarge
        case .invalidUTF8, .closeReasonNotUTF8: .dataInconsistentWithMessage
        default: .protocolError
        }
    }

    /// The close frame's reason (and the log's).
    public var description: String {
        switch self {
        case .reservedBits: "reserved bits set without a negotiated extension"
        case .unmasked: "unmasked client frame"
        case .masked: "masked server frame"
        case .reservedOpcode(let opcode): "reserved opcode \(opcode)"
        case .fragmentedControl: "malformed frame: fragmented control frame"
        case .controlTooLong: "malformed frame: control frame longer than 125 bytes"
        case .unexpectedContinuation: "bad fragmentation: continuation frame outside a message"
        case .expectedContinuation: "bad fragmentation: new message before the last one ended"
        case .badLength: "malformed frame: length with the most significant bit set"
        case .frameTooLarge(let max): Self.tooLargeReason("frame", maxBytes: max)
        case .messageTooLarge(let max): Self.tooLargeReason("message", maxBytes: max)
        case .invalidUTF8: "invalid UTF-8 in text message"
        case .closePayloadOfOneByte: "close frame with a 1-byte payload"
        case .invalidCloseCode(let code): "invalid close code \(code)"
        case .closeReasonNotUTF8: "invalid UTF-8 in close reason"
        }
    }

    /// Label value for the protocol error metric.
    public var kind: String {
        switch self {
        case .reservedBits: "reserved_bits"
        case .unmasked, .masked: "unmasked_frame"
        case .reservedOpcode: "reserved_opcode"
        case .fragmentedControl, .controlTooLong, .badLength: "malformed_frame"
        case .unexpectedContinuation, .expectedContinuation: "bad_fragmentation"
        case .frameTooLarge, .messageTooLarge: "too_large"
        case .invalidUTF8, .closeReasonNotUTF8: "invalid_utf8"
        case .closePayloadOfOneByte, .invalidCloseCode: "bad_close"
        }
    }
}

extension WebSocketViolation {
    /// A frame (`unit` "frame") or a reassembled message ("message") over the limit (1009).
    public static func tooLargeReason(_ unit: String, maxBytes: Int) -> String {
        "\(unit) larger than \(maxBytes) bytes"
    }
}
