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
            // `key`'s bytes go on the wire highest first; WebSocketFrameHeader takes the first lowest.
            let index = WebSocketFrameHeader.write(opcode: opcode, payloadLength: length, maskKey: key.byteSwapped, into: out)
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
