/// Encoders for each kind of the schema language, used by the generated code.
/// Protocol/README.md, "Encoding of each type", is the normative text for every function here.
extension BitWriter {
    @inlinable public mutating func writeUnsigned<T: FixedWidthInteger & UnsignedInteger>(_ value: T, bits: Int) throws(WireError) {
        if bits < T.bitWidth && value >> T(bits) != 0 { throw .outOfRange(UInt64(value), at: bitCount) }
        write(UInt64(value), bits: bits)
    }

    @inlinable public mutating func writeSigned<T: FixedWidthInteger & SignedInteger>(_ value: T, bits: Int) throws(WireError) {
        if bits < 64 {
            let lo = -(Int64(1) << Int64(bits - 1)), hi = (Int64(1) << Int64(bits - 1)) - 1
            if Int64(value) < lo || Int64(value) > hi { throw .outOfRange(UInt64(bitPattern: Int64(value)), at: bitCount) }
        }
        write(UInt64(bitPattern: Int64(value)), bits: bits)
    }

    /// `int(min..max)`: the offset from `min`, in the fewest bits that hold `max - min`.
    @inlinable public mutating func writeRanged(_ value: Int, min: Int, max: Int, bits: Int) throws(WireError) {
        guard value >= min && value <= max else { throw .outOfRange(UInt64(bitPattern: Int64(value)), at: bitCount) }
        write(UInt64(value &- min), bits: bits)
    }

    @inlinable public mutating func writeFixed(_ value: Double, min: Double, step: Double, steps: UInt64, bits: Int) throws(WireError) {
        write(try Quantize.fixed(value, min: min, step: step, steps: steps, at: bitCount), bits: bits)
    }

    @inlinable public mutating func writeAngle(_ value: Double, bits: Int) throws(WireError) {
        write(try Quantize.angle(value, bits: bits, at: bitCount), bits: bits)
    }

    /// Groups of 7 value bits, least significant first, each in an 8-bit unit whose top bit says
    /// another group follows.
    @inlinable public mutating func writeVarUInt(_ value: UInt64) {
        var v = value
        repeat {
            var group = v & 0x7F
            v >>= 7
            if v != 0 { group |= 0x80 }
            write(group, bits: 8)
        } while v != 0
    }

    /// The prefix code used for counter differences and entity-slot gaps:
    /// `0` + 4 bits, `10` + 8 bits, or `11` + `width` bits.
    @inlinable public mutating func writeVarBits(_ value: UInt64, width: Int) {
        if value < 16 {
            write(0, bits: 1)
            write(value, bits: 4)
        } else if value < 256 {
            write(0b01, bits: 2)
            write(value, bits: 8)
        } else {
            write(0b11, bits: 2)
            write(value, bits: width)
        }
    }

    @inlinable public mutating func writeString(_ value: String, maxBytes: Int, lengthBits: Int) throws(WireError) {
        let utf8 = value.utf8
        guard utf8.count <= maxBytes else { throw .tooLong(count: utf8.count, max: maxBytes, at: bitCount) }
        write(UInt64(utf8.count), bits: lengthBits)
        for byte in utf8 { write(UInt64(byte), bits: 8) }
    }

    @inlinable public mutating func writeBytes(_ value: [UInt8], maxCount: Int, lengthBits: Int) throws(WireError) {
        guard value.count <= maxCount else { throw .tooLong(count: value.count, max: maxCount, at: bitCount) }
        write(UInt64(value.count), bits: lengthBits)
        for byte in value { write(UInt64(byte), bits: 8) }
    }

    @inlinable public mutating func writeCount(_ count: Int, max: Int, bits: Int) throws(WireError) {
        guard count <= max else { throw .tooLong(count: count, max: max, at: bitCount) }
        write(UInt64(count), bits: bits)
    }
}

/// Quantization shared by encoders and the delta "changed" test: two values are equal on the
/// wire exactly when their quantized integers are.
public enum Quantize {
    public static let twoPi = Double.pi * 2

    /// Round half away from zero of `(value - min) / step`, clamped to `0...steps`.
    @inlinable public static func fixed(_ value: Double, min: Double, step: Double, steps: UInt64, at bit: Int = 0) throws(WireError) -> UInt64 {
        guard value.isFinite else { throw .notANumber(at: bit) }
        let t = (value - min) / step
        if !(t > 0) { return 0 }
        if t >= Double(steps) { return steps }
        return Swift.min(UInt64(t.rounded(.toNearestOrAwayFromZero)), steps)
    }

    @inlinable public static func fixedValue(_ q: UInt64, min: Double, step: Double) -> Double {
        min + Double(q) * step
    }

    /// The angle as a fraction of a turn in [0, 1), times 2^bits, rounded half away from zero,
    /// with a full turn wrapping to 0.
    @inlinable public static func angle(_ value: Double, bits: Int, at bit: Int = 0) throws(WireError) -> UInt64 {
        guard value.isFinite else { throw .notANumber(at: bit) }
        var t = value / twoPi
        t -= t.rounded(.down)
        let scale = Double(UInt64(1) << UInt64(bits))
        let q = UInt64((t * scale).rounded(.toNearestOrAwayFromZero))
        return q >= UInt64(1) << UInt64(bits) ? 0 : q
    }

    @inlinable public static func angleValue(_ q: UInt64, bits: Int) -> Double {
        Double(q) * twoPi / Double(UInt64(1) << UInt64(bits))
    }
}
