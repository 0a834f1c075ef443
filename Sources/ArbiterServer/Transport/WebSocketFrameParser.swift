import NIOCore
import NIOWebSocket

/// RFC 6455 frames parsed where they lie in the bytes a read returned, one at a time, into whole
/// messages: header (7-, 16- and 64-bit lengths, mask), fragmentation with control frames
/// between the fragments, and every rule a peer can break, each with its close code.
///
/// It replaces NIO's `WebSocketFrameDecoder`, `NIOWebSocketFrameAggregator` and our old
/// validator on the game socket: those box a `WebSocketFrame` per frame through three handlers,
/// copy every payload to unmask it, and check limits only after buffering the frame. Here a
/// payload is copied once, unmasked on the way, into a buffer the caller owns (the loop's), and
/// a frame over the limit is refused from its header, before its payload is read.
///
/// Pure: bytes in, steps out; no allocation of its own (the caller's buffers grow only for a
/// message bigger than any before).
struct WebSocketFrameParser {
    /// What `next` found.
    enum Step: Equatable {
        /// The input ends inside a frame: call again with the same bytes and more after them.
        case needMoreBytes
        /// A non-final fragment of a data message was appended to `message`.
        case fragment
        /// A whole text or binary message, unmasked, is `message`'s readable bytes (text is valid
        /// UTF-8).
        case message(WebSocketOpcode)
        /// A ping, pong or close frame; its payload, unmasked, is `control`'s readable bytes.
        case control(WebSocketOpcode)
        /// The peer broke the protocol: fail the connection with `violation.code`.
        case violation(WebSocketViolation)
    }

    /// Largest message (and frame) accepted.
    let maxMessageSize: Int
    /// Most fragments in one message: enough for any legitimate sender while an empty-fragment
    /// flood still ends.
    let maxFragments: Int
    /// A server takes only masked frames, a client only unmasked ones (RFC 6455 5.1).
    let expectsMaskedFrames: Bool

    /// The opcode of the message whose fragments are arriving; nil between messages.
    private(set) var messageOpcode: WebSocketOpcode?
    private var fragments = 0

    init(maxMessageSize: Int, maxFragments: Int, expectsMaskedFrames: Bool = true) {
        self.maxMessageSize = maxMessageSize
        self.maxFragments = maxFragments
        self.expectsMaskedFrames = expectsMaskedFrames
    }

    /// True between a message's first fragment and its last: `message` holds the part so far
    /// and must be passed again, untouched, with the next call.
    var isInsideMessage: Bool { self.messageOpcode != nil }

    /// Parses the next frame at `input`'s reader index. When it is whole, moves past it and
    /// appends its payload, unmasked, to `message` (cleared first when a message starts) or
    /// writes it to `control` (cleared first); otherwise leaves everything as it was.
    mutating func next(_ input: inout ByteBuffer, message: inout ByteBuffer, control: inout ByteBuffer) -> Step {
        let header: WebSocketFrameHeader
        switch WebSocketFrameHeader.parse(input) {
        case .needMoreBytes: return .needMoreBytes
        case .violation(let violation): return .violation(violation)
        case .header(let parsed): header = parsed
        }
        if let violation = self.check(header, messageSoFar: message.readableBytes) { return .violation(violation) }
        guard input.readableBytes >= header.size + header.payloadLength else { return .needMoreBytes }

        let payloadStart = input.readerIndex + header.size
        if header.isControl {
            control.clear()
            Self.append(from: input, at: payloadStart, length: header.payloadLength, mask: header.maskKey, to: &control)
            input.moveReaderIndex(to: payloadStart + header.payloadLength)
            return .control(header.opcode)
        }
        if header.opcode != .continuation {
            message.clear()
            self.messageOpcode = header.opcode
            self.fragments = 0
        }
        self.fragments += 1
        Self.append(from: input, at: payloadStart, length: header.payloadLength, mask: header.maskKey, to: &message)
        input.moveReaderIndex(to: payloadStart + header.payloadLength)
        guard header.fin else { return .fragment }
        let opcode = self.messageOpcode ?? .binary
        self.messageOpcode = nil
        if opcode == .text, !WebSocketUTF8.isValid(message.readableBytesView) { return .violation(.invalidUTF8) }
        return .message(opcode)
    }

    /// Everything the header alone decides, before a byte of payload is waited for.
    private func check(_ header: WebSocketFrameHeader, messageSoFar: Int) -> WebSocketViolation? {
        if header.reservedBits != 0 { return .reservedBits }
        if header.maskKey == nil && self.expectsMaskedFrames { return .unmasked }
        if header.maskKey != nil && !self.expectsMaskedFrames { return .masked }
        switch header.opcode {
        case .connectionClose, .ping, .pong:
            // RFC 6455 5.5: control frames are whole and small.
            if !header.fin { return .fragmentedControl }
            if header.payloadLength > 125 { return .controlTooLong }
            return nil
        case .text, .binary:
            if self.isInsideMessage { return .expectedContinuation }
        case .continuation:
            if !self.isInsideMessage { return .unexpectedContinuation }
        default:
            return .reservedOpcode(UInt8(webSocketOpcode: header.opcode))
        }
        if header.payloadLength > self.maxMessageSize { return .frameTooLarge(maxBytes: self.maxMessageSize) }
        let soFar = header.opcode == .continuation ? messageSoFar : 0
        if soFar + header.payloadLength > self.maxMessageSize { return .messageTooLarge(maxBytes: self.maxMessageSize) }
        if header.opcode == .continuation && self.fragments >= self.maxFragments {
            return .messageTooLarge(maxBytes: self.maxMessageSize)
        }
        return nil
    }

    /// Copies the payload and unmasks the copy in place: one pass over the bytes each.
    private static func append(
        from input: ByteBuffer, at index: Int, length: Int, mask: UInt32?, to output: inout ByteBuffer
    ) {
        guard length > 0 else { return }
        let start = output.readableBytes
        let from = index - input.readerIndex
        input.withUnsafeReadableBytes { bytes in
            _ = output.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[from..<from + length]))
        }
        guard let mask else { return }
        output.withUnsafeMutableReadableBytes { bytes in
            WebSocketMask.apply(mask, to: UnsafeMutableRawBufferPointer(rebasing: bytes[start..<start + length]))
        }
    }
}

/// A frame's fixed part: what the first 2 to 14 bytes say.
struct WebSocketFrameHeader: Equatable {
    var fin: Bool
    /// RSV1-3, as the bits of the first byte (0x70); non-zero without a negotiated extension is
    /// a protocol error.
    var reservedBits: UInt8
    var opcode: WebSocketOpcode
    /// The 4-byte key as it lies on the wire, first byte lowest (`WebSocketMask.key`).
    var maskKey: UInt32?
    var payloadLength: Int
    /// Bytes before the payload: 2 + 0, 2 or 8 for the length + 0 or 4 for the mask.
    var size: Int

    var isControl: Bool { UInt8(webSocketOpcode: self.opcode) & 0x08 != 0 }

    enum Parse: Equatable {
        case needMoreBytes
        case header(WebSocketFrameHeader)
        case violation(WebSocketViolation)
    }

    /// The header at `buffer`'s reader index, without moving it.
    static func parse(_ buffer: ByteBuffer) -> Parse {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 2 else { return .needMoreBytes }
            let first = bytes[0]
            let second = bytes[1]
            let masked = second & 0x80 != 0
            var size = 2
            var length = Int(second & 0x7F)
            switch length {
            case 126:
                guard bytes.count >= 4 else { return .needMoreBytes }
                length = Int(bytes[2]) << 8 | Int(bytes[3])
                size = 4
            case 127:
                guard bytes.count >= 10 else { return .needMoreBytes }
                var wide: UInt64 = 0
                for i in 2..<10 { wide = wide << 8 | UInt64(bytes[i]) }
                // RFC 6455 5.2: the most significant bit must be 0.
                guard wide >> 63 == 0 else { return .violation(.badLength) }
                length = Int(truncatingIfNeeded: wide)
                size = 10
            default:
                break
            }
            var key: UInt32?
            if masked {
                guard bytes.count >= size + 4 else { return .needMoreBytes }
                key = WebSocketMask.key(bytes[size], bytes[size + 1], bytes[size + 2], bytes[size + 3])
                size += 4
            }
            return .header(
                WebSocketFrameHeader(
                    fin: first & 0x80 != 0, reservedBits: first & 0x70, opcode: WebSocketOpcode(encodedWebSocketOpcode: first & 0x0F)!,
                    maskKey: key, payloadLength: length, size: size))
        }
    }
}

/// RFC 6455 masking (5.3): XOR with the 4-byte key, repeated from the payload's first byte.
enum WebSocketMask {
    /// The key's 4 bytes in wire order, the first in the lowest bits.
    static func key(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) -> UInt32 {
        UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
    }

    /// Masks or unmasks `bytes` in place (the same operation), eight bytes a step.
    static func apply(_ key: UInt32, to bytes: UnsafeMutableRawBufferPointer) {
        let wide = UInt64(key) | UInt64(key) << 32
        let count = bytes.count
        var i = 0
        while i + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            bytes.storeBytes(of: (word ^ wide).littleEndian, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            bytes[i] ^= UInt8(truncatingIfNeeded: key >> (8 * UInt32(i & 3)))
            i += 1
        }
    }
}

/// UTF-8 checks for text messages and close reasons.
enum WebSocketUTF8 {
    /// Through the standard library's validator (vectorised where the platform allows).
    static func isValid(_ bytes: ByteBufferView) -> Bool {
        bytes.withContiguousStorageIfAvailable { String(validating: $0, as: UTF8.self) != nil }
            ?? (String(validating: bytes, as: UTF8.self) != nil)
    }
}

/// A way a peer broke RFC 6455, with the close code to fail the connection with (7.4.1).
enum WebSocketViolation: Equatable, Error, CustomStringConvertible {
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

    var code: WebSocketErrorCode {
        switch self {
        case .frameTooLarge, .messageTooLarge: .messageTooLarge
        case .invalidUTF8, .closeReasonNotUTF8: .dataInconsistentWithMessage
        default: .protocolError
        }
    }

    /// The close frame's reason (and the log's).
    var description: String {
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
        case .frameTooLarge(let max): CloseCode.tooLargeReason("frame", maxBytes: max)
        case .messageTooLarge(let max): CloseCode.tooLargeReason("message", maxBytes: max)
        case .invalidUTF8: "invalid UTF-8 in text message"
        case .closePayloadOfOneByte: "close frame with a 1-byte payload"
        case .invalidCloseCode(let code): "invalid close code \(code)"
        case .closeReasonNotUTF8: CloseCode.closeReasonNotUTF8
        }
    }

    /// Label value for the protocol error metric.
    var kind: String {
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
