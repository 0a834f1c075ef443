import ArbiterProtocol
import Testing

/// The pieces of the word-at-a-time delta: copying encoded bits between streams, and slot sets.
@Suite struct SharedFrameTests {
    /// Bits copied from any offset of one stream land exactly as if written directly.
    @Test func copiedBitsEqualWrittenBits() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return x
        }
        var source = BitWriter()
        var fields: [(bits: Int, start: Int)] = []
        for _ in 0..<200 {
            let bits = Int(next() % 140)  // past one 56-bit chunk, and zero
            let start = source.bitCount
            var left = bits
            while left > 0 {
                let n = min(left, 64)
                source.write(next(), bits: n)
                left -= n
            }
            fields.append((bits, start))
        }
        source.finish()
        let padded = source.bytes + Array(repeating: 0, count: 8)
        for prefix in [0, 1, 7, 63] {
            var direct = BitWriter(), copied = BitWriter()
            direct.write(0x5A5A, bits: prefix)
            copied.write(0x5A5A, bits: prefix)
            for field in fields {
                padded.withUnsafeBytes { copied.write(bitsOf: $0, from: field.start, count: field.bits) }
                // The same bits read back from the source, written one at a time.
                for k in 0..<field.bits {
                    let at = field.start + k
                    direct.write(UInt64(padded[at >> 3] >> UInt8(at & 7)) & 1, bits: 1)
                }
            }
            direct.finish()
            copied.finish()
            #expect(copied.bytes == direct.bytes)
        }
    }

    @Test func slotSetKeepsItsBitsAndRange() {
        var a = SlotSet(), b = SlotSet()
        for slot in [700, 3, 64, 65, 4095] { a.insert(slot) }
        #expect(a.range == 0..<64)
        a.remove(65)
        b.insert(9000)
        b.assign(a)
        #expect(b.range == a.range)
        #expect(b.words[a.range] == a.words[a.range])
        #expect(b.words[140] == 0)  // slot 9000's word, outside the copied range
        var bits: [Int] = []
        for (word, w) in b.words.enumerated() {
            for bit in 0..<64 where w & 1 << UInt64(bit) != 0 { bits.append(word << 6 | bit) }
        }
        #expect(bits == [3, 64, 700, 4095])
        b.removeAll()
        #expect(b.range.isEmpty && b.words.allSatisfy { $0 == 0 })
    }

    /// Inserting through an `Inserter` gives the same words and range as `insert`, added to what
    /// the set held, and grows the set to the count given.
    @Test func insertingEqualsInsertOneByOne() {
        var x: UInt64 = 0x2545_F491_4F6C_DD1D
        for round in 0..<50 {
            var one = SlotSet(), many = SlotSet()
            let before = round % 3 == 0 ? [5000] : []
            for slot in before {
                one.insert(slot)
                many.insert(slot)
            }
            let slotCount = 64 + round * 97
            var slots: [Int] = []
            for _ in 0..<(round % 7) * 9 {
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                slots.append(Int(x >> 33) % slotCount)
            }
            for slot in slots { one.insert(slot) }
            many.inserting(below: slotCount) { inserter in
                for slot in slots { inserter.insert(slot) }
            }
            #expect(many.range == one.range)
            #expect(many.words.count * 64 >= slotCount)
            for word in 0..<max(one.words.count, many.words.count) {
                #expect((word < one.words.count ? one.words[word] : 0) == (word < many.words.count ? many.words[word] : 0))
            }
        }
    }

    /// Each entity's header is one write of 8, 13 or 29 bits: the same bits as a 1, the slot's
    /// distance as `writeVarBits(_, width: 24)` and the op written one after another, for every
    /// size of distance (under 16, under 256, up to the 24-bit slot's limit).
    @Test func entityHeadersAreTheFieldsWrittenInTurn() throws {
        let slots: [UInt32] = [0, 15, 31, 32, 288, 289, 545, 0xFF_FFFF]
        let current = slots.map { EntitySetEntry(id: 3 << 24 | $0, value: WorldEntity.pickup(Pickup(available: true))) }
        var encoded = BitWriter()
        try EntitySetCoder.encode(current, baseline: [], max: 1 << 24, to: &encoded)
        encoded.finish()
        var expected = BitWriter()
        var previous: Int64 = -1
        for entry in current {
            expected.write(1, bits: 1)
            expected.writeVarBits(UInt64(Int64(entry.slot) - previous - 1), width: 24)
            expected.write(1, bits: 2)  // create
            expected.write(3, bits: 8)
            expected.write(UInt64(entry.value.kind), bits: WorldEntity.kindBits)
            try entry.value.encodeCreate(to: &expected)
            previous = Int64(entry.slot)
        }
        expected.write(0, bits: 1)
        expected.finish()
        #expect(encoded.bytes == expected.bytes)
        let decoded = try encoded.bytes.withUnsafeBytes { (raw) throws(WireError) in
            var reader = BitReader(raw)
            return try EntitySetCoder.decode(baseline: [EntitySetEntry<WorldEntity>](), max: 1 << 24, from: &reader)
        }
        #expect(decoded == current)
    }
}
