/// What a sender works out once per frame for every receiver of its entity set: where each slot's
/// entry is, when each entry last changed, and, against the frame before, which slots are
/// unchanged and each changed entity's update already encoded.
///
/// A receiver whose baseline is the frame before (nearly all of them, nearly always) then encodes
/// its delta a 64-slot word at a time (`SharedEntitySet`): entities it already has and that did
/// not change are skipped with one AND, and an entity that moved is a copy of bits quantized once
/// for everybody instead of a field-by-field encode per receiver. The bytes are the same as the
/// entity-by-entity delta's.
///
/// A class: every receiver's view holds it, and a struct of six arrays cost each view six
/// retains and releases (`initializeWithCopy for SharedFrame`, perf at 1,000 clients). The
/// tables a delta reads per slot are in memory this frame owns (`Tables`), not arrays: every
/// event loop reads the same frame, so each retain of an array was an atomic on a cache line the
/// other core also writes, several per receiver per frame.
public final class SharedFrame<Value: EntityUnion>: @unchecked Sendable {
    // @unchecked: immutable once built; `tables` points at memory only `deinit` frees.

    /// The tick these entries are of.
    public let tick: UInt32
    /// The frame's entries, sorted by slot.
    public let entries: [EntitySetEntry<Value>]
    /// For each entry, the last tick its value changed: a receiver whose baseline is at least that
    /// recent has it already.
    public let changedAt: [UInt32]
    /// The tick of the frame this one was compared with; nil for a first frame.
    public let previousTick: UInt32?
    /// What a delta reads slot by slot, valid while this frame lives.
    public let tables: Tables

    /// Per-slot tables of a frame, as plain pointers: copying or reading them touches no
    /// reference count. Valid while their `SharedFrame` lives.
    public struct Tables: @unchecked Sendable {
        /// Each slot's entry index (-1: none).
        public let positionBySlot: UnsafeBufferPointer<Int32>
        /// Bit `s`: slot `s` holds the same entry (id and value) as in the previous frame.
        @usableFromInline let unchanged: UnsafeBufferPointer<UInt64>
        /// Each slot's update against the previous frame's entry in that slot (same id and kind,
        /// other value), as bits in `updateBits`: offset << 16 | count; 0 when there is none. By
        /// slot, so a receiver copying an update reads neither frame's entries nor where they are.
        /// Empty for a first frame.
        @usableFromInline let updateSpans: UnsafeBufferPointer<UInt64>
        /// Padded with 8 zero bytes, so a word can be read at any span's last bit.
        @usableFromInline let updateBits: UnsafeRawBufferPointer

        @usableFromInline init(
            positionBySlot: UnsafeBufferPointer<Int32>, unchanged: UnsafeBufferPointer<UInt64>,
            updateSpans: UnsafeBufferPointer<UInt64>, updateBits: UnsafeRawBufferPointer
        ) {
            (self.positionBySlot, self.unchanged, self.updateSpans, self.updateBits) = (positionBySlot, unchanged, updateSpans, updateBits)
        }
    }
    /// The memory `tables` point at, freed with the frame.
    @usableFromInline let block: UnsafeMutableRawPointer

    /// Each slot's entry index (-1: none), valid while this frame lives.
    @inlinable public var positionBySlot: UnsafeBufferPointer<Int32> { tables.positionBySlot }

    /// Compares `entries` (sorted by slot) with `previous`, the frame before (not retained).
    /// Inlinable so that it is specialized for the caller's entity type: generic, it spent most
    /// of its time looking up type metadata.
    @inlinable public init(entries: [EntitySetEntry<Value>], tick: UInt32, previous: SharedFrame<Value>?) {
        var changedAt = [UInt32](repeating: tick, count: entries.count)
        var slots = 0
        for i in entries.indices { slots = Swift.max(slots, Int(entries[i].slot) + 1) }
        // One block for the three per-slot tables: 8-byte words first, then the positions.
        let wordCount = (slots + 63) / 64, spanCount = previous == nil ? 0 : slots
        let block = UnsafeMutableRawPointer.allocate(
            byteCount: Swift.max(1, (wordCount + spanCount) * 8 + slots * 4), alignment: 8)
        let unchanged = block.bindMemory(to: UInt64.self, capacity: wordCount + spanCount)
        unchanged.initialize(repeating: 0, count: wordCount + spanCount)
        let updateSpans = unchanged + wordCount
        let positionBySlot = (block + (wordCount + spanCount) * 8).bindMemory(to: Int32.self, capacity: slots)
        positionBySlot.initialize(repeating: -1, count: slots)
        var bits = BitWriter(capacity: previous == nil ? 8 : entries.count * 8)
        let before = previous?.entries ?? []
        let beforeChangedAt = previous?.changedAt ?? []
        let beforeBySlot = previous?.positionBySlot ?? UnsafeBufferPointer(start: nil, count: 0)
        for p in entries.indices {
            let slot = Int(entries[p].slot)
            positionBySlot[slot] = Int32(p)
            guard slot < beforeBySlot.count else { continue }
            let q = Int(beforeBySlot[slot])
            guard q >= 0 else { continue }
            if before[q] == entries[p] {
                changedAt[p] = beforeChangedAt[q]
                unchanged[slot >> 6] |= 1 << UInt64(slot & 63)
            } else if before[q].id == entries[p].id && before[q].value.kind == entries[p].value.kind {
                let start = bits.bitCount
                // One that cannot be encoded gets no span (its bits stay unread): each receiver's
                // own encode reports it.
                guard (try? entries[p].value.encodeUpdate(from: before[q].value, to: &bits)) != nil, bits.bitCount - start < 1 << 16
                else { continue }
                updateSpans[slot] = UInt64(start) << 16 | UInt64(bits.bitCount - start)
            }
        }
        bits.write(0, bits: 64)  // the padding `write(bitsOf:)` reads past a span's end
        bits.finish()
        let updateBits = UnsafeMutableRawBufferPointer.allocate(byteCount: bits.bytes.count, alignment: 8)
        updateBits.copyBytes(from: bits.bytes)
        self.tick = tick
        self.entries = entries
        self.changedAt = changedAt
        self.previousTick = previous?.tick
        self.block = block
        self.tables = Tables(
            positionBySlot: UnsafeBufferPointer(start: positionBySlot, count: slots),
            unchanged: UnsafeBufferPointer(start: unchanged, count: wordCount),
            updateSpans: UnsafeBufferPointer(start: updateSpans, count: spanCount),
            updateBits: UnsafeRawBufferPointer(updateBits))
    }

    deinit {
        block.deallocate()
        UnsafeMutableRawPointer(mutating: tables.updateBits.baseAddress)?.deallocate()
    }
}

/// A set of slots as a bitmap, for `SharedEntitySet`: words outside `range` are zero, so a reader
/// walks only those. Reused between uses: assigning keeps the storage.
public struct SlotSet: Sendable {
    /// Bit `s`: slot `s` is in the set.
    @inlinable public var words: [UInt64] { storage }
    /// The words that may have a bit set.
    @inlinable public var range: Range<Int> { used }
    @usableFromInline var storage: [UInt64] = []
    @usableFromInline var used: Range<Int> = 0..<0

    public init() {}

    /// Adds `slot` (growing the words to hold it; rarely, once warm).
    @inlinable public mutating func insert(_ slot: Int) {
        let word = slot >> 6
        if word >= storage.count { grow(to: word + 1) }
        storage[word] |= 1 << UInt64(slot & 63)
        used = used.isEmpty ? word..<(word + 1) : Swift.min(used.lowerBound, word)..<Swift.max(used.upperBound, word + 1)
    }

    /// Adds many slots, all below `slotCount`, through an `Inserter`: the words are made unique
    /// and large enough once, so each insert is an OR (`insert(_:)` checks both every time: 4 %
    /// of a client snapshot's instructions, in its view fill).
    @inlinable public mutating func inserting<R>(below slotCount: Int, _ body: (inout Inserter) throws -> R) rethrows -> R {
        let wordCount = (slotCount + 63) >> 6
        if wordCount > storage.count { grow(to: wordCount) }
        return try storage.withUnsafeMutableBufferPointer { words in
            var inserter = Inserter(words: words, limit: wordCount)
            defer {
                if inserter.low < inserter.high {
                    used = used.isEmpty ? inserter.low..<inserter.high
                        : Swift.min(used.lowerBound, inserter.low)..<Swift.max(used.upperBound, inserter.high)
                }
            }
            return try body(&inserter)
        }
    }

    /// Adds slots to a `SlotSet` inside `inserting(below:_:)`.
    public struct Inserter {
        @usableFromInline let words: UnsafeMutableBufferPointer<UInt64>
        @usableFromInline let limit: Int
        @usableFromInline var low = Int.max
        @usableFromInline var high = 0

        @inlinable init(words: UnsafeMutableBufferPointer<UInt64>, limit: Int) {
            self.words = words
            self.limit = limit
        }

        /// Adds `slot`, which must be below the `slotCount` given to `inserting`.
        @inlinable public mutating func insert(_ slot: Int) {
            let word = slot >> 6
            precondition(slot >= 0 && word < limit, "slot beyond the count given to inserting(below:)")
            words[word] |= 1 << UInt64(slot & 63)
            low = Swift.min(low, word)
            high = Swift.max(high, word + 1)
        }
    }

    /// Removes `slot`.
    @inlinable public mutating func remove(_ slot: Int) {
        let word = slot >> 6
        guard word < storage.count else { return }
        storage[word] &= ~(1 << UInt64(slot & 63))
    }

    /// Empties the set (only the words in `range` are touched).
    @inlinable public mutating func removeAll() {
        for word in used { storage[word] = 0 }
        used = 0..<0
    }

    /// Becomes a copy of `other`, without allocating once its storage is large enough.
    @inlinable public mutating func assign(_ other: SlotSet) {
        removeAll()
        guard !other.range.isEmpty else { return }
        if other.range.upperBound > storage.count { grow(to: other.range.upperBound) }
        for word in other.range { storage[word] = other.storage[word] }
        used = other.range
    }

    @usableFromInline mutating func grow(to count: Int) {
        let target = Swift.max(16, 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount))
        storage += repeatElement(0, count: target - storage.count)
    }
}
