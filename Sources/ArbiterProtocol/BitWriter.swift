/// Packs values LSB-first into a byte array the caller owns and reuses.
///
/// Bit `i` of the stream lands in byte `i / 8` at bit position `i % 8`; a value's own bits go
/// out least significant first (Protocol/README.md, "Bit order"). Bits gather in a 64-bit
/// scratch word, full words in `words`, and `finish()` moves them into `bytes` with one copy, so
/// writing a field costs a shift and an OR, and `reset()` keeps the arrays' capacity: encoding
/// into a warm writer never allocates.
///
/// Full words wait as `UInt64`s because appending one is one append: appending its eight bytes
/// to the byte array, one at a time or as a buffer, was 8 % of a client snapshot's instructions
/// (`instruction-counts`, client-snapshot-expanse-1000-players).
public struct BitWriter: Sendable {
    /// The encoded message: complete after `finish()`.
    public var bytes: [UInt8] { storage }
    /// Bytes finished (`finish()`), then the full words written since, little-endian, then
    /// `scratchBits` bits of `scratch`.
    @usableFromInline var storage: [UInt8]
    @usableFromInline var words: [UInt64]
    @usableFromInline var scratch: UInt64 = 0
    @usableFromInline var scratchBits: Int = 0

    public init(capacity: Int = 1536) {
        storage = []
        storage.reserveCapacity(capacity)
        words = []
        words.reserveCapacity((capacity + 7) / 8)
    }

    /// Bits written so far, including those still in the scratch word.
    @inlinable public var bitCount: Int { (storage.count &+ words.count &* 8) &* 8 &+ scratchBits }

    /// Starts a new message, keeping the buffer's storage.
    @inlinable public mutating func reset() {
        storage.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        scratch = 0
        scratchBits = 0
    }

    /// Appends the low `bits` bits of `value` (0...64 bits; higher bits of `value` are ignored).
    @inlinable @inline(__always) public mutating func write(_ value: UInt64, bits: Int) {
        guard bits > 0 else { return }
        let v = bits >= 64 ? value : value & ((1 << UInt64(bits)) &- 1)
        scratch |= v << UInt64(scratchBits)
        let total = scratchBits &+ bits
        if total >= 64 {
            flushWord()
            let consumed = 64 &- scratchBits
            scratch = consumed >= 64 ? 0 : v >> UInt64(consumed)
            scratchBits = total &- 64
        } else {
            scratchBits = total
        }
    }

    @inlinable public mutating func writeBool(_ value: Bool) {
        write(value ? 1 : 0, bits: 1)
    }

    /// Appends `count` bits of an encoded stream, from bit `start` of `source`, which must have
    /// 8 readable bytes from the byte of its last bit on (pad it with zeros): a field encoded once
    /// and copied into many messages.
    ///
    /// A span of up to 56 bits is one load and one write; a longer one goes 56 bits at a time
    /// (`writeLong`).
    @inlinable @inline(__always) public mutating func write(bitsOf source: UnsafeRawBufferPointer, from start: Int, count: Int) {
        precondition(start >= 0 && count >= 0 && (start + count + 7) / 8 + 7 <= source.count)
        guard count > 56 else {
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: start >> 3, as: UInt64.self))
            write(word >> UInt64(start & 7), bits: count)
            return
        }
        writeLong(bitsOf: source, from: start, count: count)
    }

    @usableFromInline mutating func writeLong(bitsOf source: UnsafeRawBufferPointer, from start: Int, count: Int) {
        var at = start
        var left = count
        while left > 0 {
            let n = Swift.min(left, 56)
            let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: at >> 3, as: UInt64.self))
            write(word >> UInt64(at & 7), bits: n)
            at &+= n
            left &-= n
        }
    }

    @usableFromInline mutating func flushWord() {
        words.append(scratch.littleEndian)
    }

    /// Pads the last byte with zero bits and moves every pending bit into `bytes`.
    public mutating func finish() {
        if !words.isEmpty {
            words.withUnsafeBytes { storage.append(contentsOf: $0) }
            words.removeAll(keepingCapacity: true)
        }
        var remaining = scratchBits
        while remaining > 0 {
            storage.append(UInt8(truncatingIfNeeded: scratch))
            scratch >>= 8
            remaining -= 8
        }
        scratch = 0
        scratchBits = 0
    }
}
