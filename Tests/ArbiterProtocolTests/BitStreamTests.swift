import ArbiterProtocol
import Testing

@Suite struct BitStreamTests {
    /// The worked example of Protocol/README.md, section 2.
    @Test func bitOrderMatchesTheSpecExample() throws {
        var w = BitWriter()
        w.write(5, bits: 3)
        w.write(1, bits: 1)
        w.write(0x1FF, bits: 9)
        w.finish()
        #expect(w.bytes == [0xFD, 0x1F])
        try w.bytes.withBitReader { (r) throws(WireError) in
            #expect(try r.read(bits: 3) == 5)
            #expect(try r.read(bits: 1) == 1)
            #expect(try r.read(bits: 9) == 0x1FF)
            try r.finish()
        }
    }

    /// Values straddling the writer's 64-bit scratch word and every width survive a round trip.
    @Test func everyWidthRoundTripsAcrossWordBoundaries() throws {
        var w = BitWriter()
        var expected: [(UInt64, Int)] = []
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for bits in 0...64 {
            for _ in 0..<3 {
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let v = bits == 64 ? x : x & ((1 << UInt64(bits)) - 1)
                w.write(v, bits: bits)
                expected.append((v, bits))
            }
        }
        w.finish()
        let total = expected.reduce(0) { $0 + $1.1 }
        #expect(w.bytes.count == (total + 7) / 8)
        try w.bytes.withBitReader { (r) throws(WireError) in
            for (v, bits) in expected { #expect(try r.read(bits: bits) == v) }
            try r.finish()
        }
    }

    @Test func readerReportsTheBitWhereDataRanOut() {
        let bytes: [UInt8] = [0xFF, 0x01]
        #expect(throws: WireError.truncated(at: 12)) {
            try bytes.withBitReader { (r) throws(WireError) in
                _ = try r.read(bits: 12)
                _ = try r.read(bits: 5)
            }
        }
    }

    @Test func resetKeepsTheBufferForReuse() {
        var w = BitWriter(capacity: 64)
        w.write(0xABCD, bits: 16)
        w.finish()
        w.reset()
        #expect(w.bytes.isEmpty && w.bitCount == 0)
        w.write(1, bits: 1)
        w.finish()
        #expect(w.bytes == [1])
    }
}
