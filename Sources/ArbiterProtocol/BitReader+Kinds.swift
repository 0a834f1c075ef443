/// Decoders for each kind of the schema language: the mirror of `BitWriter+Kinds.swift`, with
/// the range check every untrusted value needs.
extension BitReader {
    @inlinable public mutating func readUnsigned<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, bits: Int) throws(WireError) -> T {
        T(truncatingIfNeeded: try read(bits: bits))
    }

    @inlinable public mutating func readSigned<T: FixedWidthInteger & SignedInteger>(_: T.Type, bits: Int) throws(WireError) -> T {
        let raw = try read(bits: bits)
        let shift = UInt64(64 - bits)
        return T(truncatingIfNeeded: Int64(bitPattern: raw << shift) >> Int64(shift))
    }

    @inlinable public mutating func readRanged(min: Int, max: Int, bits: Int) throws(WireError) -> Int {
        let at = bitPosition
        let raw = try read(bits: bits)
        guard raw <= UInt64(max &- min) else { throw .outOfRange(raw, at: at) }
        return min &+ Int(raw)
    }

    @inlinable public mutating func readFixed(min: Double, step: Double, steps: UInt64, bits: Int) throws(WireError) -> Double {
        let at = bitPosition
        let q = try read(bits: bits)
        guard q <= steps else { throw .outOfRange(q, at: at) }
        return Quantize.fixedValue(q, min: min, step: step)
    }

    @inlinable public mutating func readAngle(bits: Int) throws(WireError) -> Double {
        Quantize.angleValue(try read(bits: bits), bits: bits)
    }

    /// Reads a varuint of at most `width` bits (32 or 64), refusing non-canonical encodings
    /// (a final group of zero after the first) and values wider than `width`.
    @inlinable public mutating func readVarUInt(width: Int) throws(WireError) -> UInt64 {
        let at = bitPosition
        var value: UInt64 = 0
        var shift = 0
        while shift < width {
            let group = try read(bits: 8)
            let chunk = group & 0x7F
            if shift + 7 > width && chunk >> UInt64(width - shift) != 0 { throw .outOfRange(chunk, at: at) }
            value |= chunk << UInt64(shift)
            if group & 0x80 == 0 {
                if shift > 0 && chunk == 0 { throw .overlongVarint(at: at) }
                return value
            }
            shift += 7
        }
        throw .overlongVarint(at: at)
    }

    @inlinable public mutating func readVarBits(width: Int) throws(WireError) -> UInt64 {
        if try read(bits: 1) == 0 { return try read(bits: 4) }
        if try read(bits: 1) == 0 { return try read(bits: 8) }
        return try read(bits: width)
    }

    @inlinable public mutating func readCount(max: Int, bits: Int) throws(WireError) -> Int {
        let at = bitPosition
        let count = Int(try read(bits: bits))
        guard count <= max else { throw .tooLong(count: count, max: max, at: at) }
        return count
    }

    @inlinable public mutating func readBytes(maxCount: Int, lengthBits: Int) throws(WireError) -> [UInt8] {
        let count = try readCount(max: maxCount, bits: lengthBits)
        guard count &* 8 <= remainingBits else { throw .truncated(at: bitPosition) }
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count { bytes[i] = UInt8(truncatingIfNeeded: try read(bits: 8)) }
        return bytes
    }

    @inlinable public mutating func readString(maxBytes: Int, lengthBits: Int) throws(WireError) -> String {
        let at = bitPosition
        let bytes = try readBytes(maxCount: maxBytes, lengthBits: lengthBits)
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(at: at) }
        return string
    }
}
