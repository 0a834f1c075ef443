import NIOCore
import NIOWebSocket

/// A frame's fixed part: what the first 2 to 14 bytes say.
public struct WebSocketFrameHeader: Equatable, Sendable {
    public var fin: Bool
    /// RSV1-3, as the bits of the first byte (0x70); non-zero without a negotiated extension is
    /// a protocol error.
    public var reservedBits: UInt8
    public var opcode: WebSocketOpcode
    /// The 4-byte key as it lies on the wire, first byte lowest (`WebSocketMask.key`).
    public var maskKey: UInt32?
    public var payloadLength: Int
    /// Bytes before the payload: 2 + 0, 2 or 8 for the length + 0 or 4 for the mask.
    public var size: Int

    public var isControl: Bool { UInt8(webSocketOpcode: self.opcode) & 0x08 != 0 }

    public enum Parse: Equatable, Sendable {
        case needMoreBytes
        case header(WebSocketFrameHeader)
        case violation(WebSocketViolation)
    }

    /// The header at `buffer`'s reader index, without moving it.
    public static func parse(_ buffer: ByteBuffer) -> Parse {
        buffer.withUnsafeReadableBytes { Self.parse($0) }
    }

    /// The header at the start of `bytes` (a client's or a server's frame).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Parse {
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

extension WebSocketFrameHeader {
    /// Header bytes of a final frame with `payloadLength` bytes: 2, 4 or 10, and 4 more for a
    /// client's mask (RFC 6455 5.2). The one definition for the server's frames, the client's
    /// and the load generator's byte counts.
    public static func size(payloadLength: Int, masked: Bool) -> Int {
        (payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10) + (masked ? 4 : 0)
    }

    /// The most header a server's frame can need.
    public static let maxServerSize = 10

    /// Writes the header of a final frame at the start of `out` (which must have room:
    /// `size(payloadLength:masked:)`), the mask key's bytes in wire order (`WebSocketMask.key`);
    /// returns the bytes written. The one writer behind the server's, the client's and the
    /// load generator's frames.
    @discardableResult
    public static func write(
        opcode: WebSocketOpcode, payloadLength: Int, maskKey: UInt32?, into out: UnsafeMutableRawBufferPointer
    ) -> Int {
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        out[0] = 0x80 | UInt8(webSocketOpcode: opcode)  // FIN, no reserved bits
        var index = 2
        switch payloadLength {
        case 0...125:
            out[1] = maskBit | UInt8(payloadLength)
        case 126...0xFFFF:
            out[1] = maskBit | 126
            out[2] = UInt8(truncatingIfNeeded: payloadLength >> 8)
            out[3] = UInt8(truncatingIfNeeded: payloadLength)
            index = 4
        default:
            out[1] = maskBit | 127
            for shift in 0..<8 { out[2 + shift] = UInt8(truncatingIfNeeded: UInt64(payloadLength) >> (56 - 8 * shift)) }
            index = 10
        }
        if let maskKey {
            for i in 0..<4 { out[index + i] = UInt8(truncatingIfNeeded: maskKey >> (8 * UInt32(i))) }
            index += 4
        }
        return index
    }
}
