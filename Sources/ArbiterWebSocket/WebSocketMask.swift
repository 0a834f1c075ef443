/// RFC 6455 masking (5.3): XOR with the 4-byte key, repeated from the payload's first byte.
public enum WebSocketMask {
    /// The key's 4 bytes in wire order, the first in the lowest bits.
    public static func key(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) -> UInt32 {
        UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
    }

    /// Masks or unmasks `bytes` in place (the same operation), eight bytes a step.
    public static func apply(_ key: UInt32, to bytes: UnsafeMutableRawBufferPointer) {
        // Each step reads its bytes before it writes the same ones, so source and destination
        // may be the same memory.
        apply(key, from: UnsafeRawBufferPointer(bytes), to: bytes)
    }

    /// Masks `source` into `destination` (of the same size, or the same memory): a client's frame
    /// written in one pass.
    public static func apply(_ key: UInt32, from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer) {
        precondition(destination.count >= source.count)
        let wide = UInt64(key) | UInt64(key) << 32
        let count = source.count
        var i = 0
        while i + 8 <= count {
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            destination.storeBytes(of: (word ^ wide).littleEndian, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            destination[i] = source[i] ^ UInt8(truncatingIfNeeded: key >> (8 * UInt32(i & 3)))
            i += 1
        }
    }
}
