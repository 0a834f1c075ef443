/// Reads the LSB-first bit stream `BitWriter` produces, checking every read against the end.
///
/// It borrows the bytes (`withBitReader`) rather than copying them, so decoding a snapshot
/// costs no allocation beyond the decoded values themselves.
public struct BitReader {
    @usableFromInline let base: UnsafeRawBufferPointer
    /// Bits consumed so far: the position every `WireError` reports.
    public var bitPosition: Int { position }
    @usableFromInline var position: Int = 0
    public let bitLength: Int

    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes
        bitLength = bytes.count &* 8
    }

    @inlinable public var remainingBits: Int { bitLength &- bitPosition }

    @inlinable public mutating func read(bits: Int) throws(WireError) -> UInt64 {
        guard bits > 0 else { return 0 }
        guard bits <= remainingBits else { throw .truncated(at: bitPosition) }
        var result: UInt64 = 0
        var got = 0
        var pos = bitPosition
        while got < bits {
            let byte = UInt64(base[pos &>> 3])
            let offset = pos & 7
            let take = Swift.min(8 &- offset, bits &- got)
            let chunk = (byte >> UInt64(offset)) & ((1 << UInt64(take)) &- 1)
            result |= chunk << UInt64(got)
            got &+= take
            pos &+= take
        }
        position = pos
        return result
    }

    @inlinable public mutating func readBool() throws(WireError) -> Bool {
        try read(bits: 1) == 1
    }

    /// Checks that only zero padding remains in the last byte and nothing follows it.
    public func finish() throws(WireError) {
        let usedBytes = (bitPosition &+ 7) / 8
        if usedBytes < base.count { throw .trailingBytes(base.count &- usedBytes, at: bitPosition) }
        var pos = bitPosition
        while pos < bitLength {
            if (base[pos &>> 3] >> UInt8(pos & 7)) & 1 != 0 { throw .nonZeroPadding(at: pos) }
            pos &+= 1
        }
    }
}

extension Array where Element == UInt8 {
    /// Runs `body` with a reader over these bytes.
    @inlinable public func withBitReader<T>(_ body: (inout BitReader) throws(WireError) -> T) throws(WireError) -> T {
        let result: Result<T, WireError> = withUnsafeBytes { raw in
            var reader = BitReader(raw)
            do throws(WireError) { return .success(try body(&reader)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
