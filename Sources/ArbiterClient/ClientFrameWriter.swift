import ArbiterWebSocket
import NIOCore
import NIOWebSocket

/// Frames and masks outgoing client frames into one reused buffer.
///
/// NIO's `WebSocketFrameEncoder` masks the payload buffer it is handed, so a buffer kept for
/// reuse would be copied on every send. Writing header, key and masked payload here into a
/// buffer we keep means that once the socket has taken the bytes (usually inside the same
/// `writeAndFlush`), the storage is unique again and `clear()` reuses it: no allocation per
/// message in the steady state.
struct ClientFrameWriter {
    private(set) var buffer: ByteBuffer
    /// Two 32-bit masking keys come from one 64-bit draw of the system generator.
    private var spareKey: UInt32?

    init(allocator: ByteBufferAllocator, initialCapacity: Int = 256) {
        self.buffer = allocator.buffer(capacity: initialCapacity)
    }

    static func headerSize(payloadLength: Int) -> Int {
        WebSocketFrameHeader.size(payloadLength: payloadLength, masked: true)
    }

    /// RFC 6455 §5.3: a fresh, unpredictable key for every frame.
    mutating func nextMaskingKey() -> UInt32 {
        if let key = self.spareKey {
            self.spareKey = nil
            return key
        }
        var generator = SystemRandomNumberGenerator()
        let bits = generator.next()
        self.spareKey = UInt32(truncatingIfNeeded: bits >> 32)
        return UInt32(truncatingIfNeeded: bits)
    }

    /// Writes one final frame and returns the buffer to hand to the channel.
    mutating func frame(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer) -> ByteBuffer {
        let key = self.nextMaskingKey()
        return self.frame(opcode: opcode, payload: payload, maskingKey: key)
    }

    mutating func frame(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, maskingKey key: UInt32) -> ByteBuffer {
        let length = payload.count
        let total = Self.headerSize(payloadLength: length) + length
        self.buffer.clear(minimumCapacity: total)
        self.buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            out[0] = 0x80 | UInt8(webSocketOpcode: opcode)  // FIN, no reserved bits
            var index = 2
            if length < 126 {
                out[1] = 0x80 | UInt8(length)
            } else if length <= 0xFFFF {
                out[1] = 0x80 | 126
                out[2] = UInt8(truncatingIfNeeded: length >> 8)
                out[3] = UInt8(truncatingIfNeeded: length)
                index = 4
            } else {
                out[1] = 0x80 | 127
                for shift in 0..<8 {
                    out[2 + shift] = UInt8(truncatingIfNeeded: UInt64(length) >> (56 - 8 * shift))
                }
                index = 10
            }
            let keyBytes: (UInt8, UInt8, UInt8, UInt8) = (
                UInt8(truncatingIfNeeded: key >> 24), UInt8(truncatingIfNeeded: key >> 16),
                UInt8(truncatingIfNeeded: key >> 8), UInt8(truncatingIfNeeded: key)
            )
            out[index] = keyBytes.0
            out[index + 1] = keyBytes.1
            out[index + 2] = keyBytes.2
            out[index + 3] = keyBytes.3
            index += 4
            Self.mask(payload, into: UnsafeMutableRawBufferPointer(rebasing: out[index..<(index + length)]), key: key)
            return total
        }
        return self.buffer
    }

    /// `key`'s bytes go on the wire highest first; `WebSocketMask` takes the first in the lowest bits.
    static func mask(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, key: UInt32) {
        WebSocketMask.apply(key.byteSwapped, from: source, to: destination)
    }
}
