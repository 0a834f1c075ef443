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
public struct WebSocketFrameParser: Sendable {
    /// What `next` found.
    public enum Step: Equatable, Sendable {
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
    public let maxMessageSize: Int
    /// Most fragments in one message: enough for any legitimate sender while an empty-fragment
    /// flood still ends.
    public let maxFragments: Int
    /// A server takes only masked frames, a client only unmasked ones (RFC 6455 5.1).
    public let expectsMaskedFrames: Bool

    /// The opcode of the message whose fragments are arriving; nil between messages.
    public private(set) var messageOpcode: WebSocketOpcode?
    private var fragments = 0
    /// How much of a fragmented text message is known to be UTF-8 (whole scalars only).
    private var validatedUTF8 = 0

    public init(maxMessageSize: Int, maxFragments: Int, expectsMaskedFrames: Bool = true) {
        self.maxMessageSize = maxMessageSize
        self.maxFragments = maxFragments
        self.expectsMaskedFrames = expectsMaskedFrames
    }

    /// True between a message's first fragment and its last: `message` holds the part so far
    /// and must be passed again, untouched, with the next call.
    public var isInsideMessage: Bool { self.messageOpcode != nil }

    /// Parses the next frame at `input`'s reader index. When it is whole, moves past it and
    /// appends its payload, unmasked, to `message` (cleared first when a message starts) or
    /// writes it to `control` (cleared first); otherwise leaves everything as it was.
    public mutating func next(_ input: inout ByteBuffer, message: inout ByteBuffer, control: inout ByteBuffer) -> Step {
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
            self.validatedUTF8 = 0
        }
        self.fragments += 1
        Self.append(from: input, at: payloadStart, length: header.payloadLength, mask: header.maskKey, to: &message)
        input.moveReaderIndex(to: payloadStart + header.payloadLength)
        let opcode = self.messageOpcode ?? .binary
        if opcode == .text, !self.checkUTF8(message, final: header.fin) { return .violation(.invalidUTF8) }
        guard header.fin else { return .fragment }
        self.messageOpcode = nil
        return .message(opcode)
    }

    /// Checks the text not checked yet, each fragment as it comes (a bad one fails the
    /// connection at once, not at the message's end; RFC 6455 8.1): up to the last whole scalar,
    /// or to the end when the message is complete.
    private mutating func checkUTF8(_ message: ByteBuffer, final: Bool) -> Bool {
        let from = self.validatedUTF8
        return message.withUnsafeReadableBytes { all in
            let rest = UnsafeRawBufferPointer(rebasing: all[from...])
            let length = final ? rest.count : WebSocketUTF8.wholeScalarsLength(rest)
            guard WebSocketUTF8.isValid(UnsafeRawBufferPointer(rebasing: rest[..<length])) else { return false }
            self.validatedUTF8 = from + length
            return true
        }
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
