import ArbiterProtocol
import Testing

/// The generated `Limits` are the bounds the codec enforces, and `saturating(...)` fits any
/// value inside them, so a sender never has a value-past-a-bound encoding error (Protocol/README.md,
/// 3.1). Uses the conformance schema's generated code, which has every kind of bound.
@Suite struct LimitsTests {
    private func roundTrip(_ value: Integers) throws -> Integers {
        var w = BitWriter()
        try value.encodeMessage(into: &w)
        var decoder = ClientMessageDecoder()
        guard case .integers(let decoded) = try decoder.decode(w.bytes) else { throw LimitsTestFailure.wrongMessage }
        return decoded
    }

    private func integers(u1: Int, u7: Int, u33: Int64, i1: Int, i13: Int, small: Int, single: Int, level: Int, wide: Int64) -> Integers {
        .saturating(
            u1: u1, u7: u7, u8: 0, u16: 0, u32: 0, u33: u33, u64: 0, i1: i1, i8: 0, i13: i13, i32: 0, i64: 0,
            small: small, single: single, level: level, wide: wide, v32: 0, v64: 0)
    }

    /// Each constant is exactly the codec's bound: its ends encode, one past them throws.
    @Test func integerLimitsAreTheCodecsBounds() throws {
        var w = BitWriter()
        let fields: [(WritableKeyPath<Integers, Int>, ClosedRange<Int>)] = [
            (\.small, Integers.Limits.small), (\.single, Integers.Limits.single), (\.level, Integers.Limits.level),
        ]
        for (field, range) in fields {
            var value = Integers()
            for end in [range.lowerBound, range.upperBound] {
                value[keyPath: field] = end
                #expect(try roundTrip(value)[keyPath: field] == end)
            }
            for past in [range.lowerBound - 1, range.upperBound + 1] {
                value[keyPath: field] = past
                #expect(throws: WireError.self) { try value.encodeMessage(into: &w) }
            }
        }
        var value = Integers()
        value.i13 = Integers.Limits.i13.lowerBound
        #expect(try roundTrip(value).i13 == -4096)
        value.i13 = Integers.Limits.i13.upperBound + 1
        #expect(throws: WireError.self) { try value.encodeMessage(into: &w) }
        value.i13 = 0
        value.u33 = Integers.Limits.u33.upperBound
        #expect(try roundTrip(value).u33 == 8_589_934_591)
        value.u33 += 1
        #expect(throws: WireError.self) { try value.encodeMessage(into: &w) }
    }

    /// Values past either end, of other integer types, encode as the nearer end.
    @Test func saturatingClampsEveryIntegerIntoItsRange() throws {
        let high = try roundTrip(integers(u1: 9, u7: 1000, u33: .max, i1: 5, i13: 70_000, small: 6, single: 100, level: 1001, wide: .max))
        #expect(high.u1 == 1 && high.u7 == 127 && high.u33 == Integers.Limits.u33.upperBound && high.i1 == 0)
        #expect(high.i13 == 4095 && high.small == 5 && high.single == 7 && high.level == 1000)
        #expect(high.wide == 9_007_199_254_740_991)
        let low = try roundTrip(integers(u1: -1, u7: -5, u33: .min, i1: -9, i13: -70_000, small: -6, single: -100, level: -1001, wide: .min))
        #expect(low.u1 == 0 && low.u7 == 0 && low.u33 == 0 && low.i1 == -1 && low.i13 == -4096)
        #expect(low.small == -5 && low.single == 7 && low.level == -1000 && low.wide == -9_007_199_254_740_991)
        let inside = try roundTrip(integers(u1: 1, u7: 100, u33: 5, i1: -1, i13: -3, small: 2, single: 7, level: -7, wide: 42))
        #expect(inside.u7 == 100 && inside.i13 == -3 && inside.small == 2 && inside.level == -7 && inside.wide == 42)
        // A UInt64 past Int.max clamps instead of trapping in a conversion.
        #expect(Box.saturating(size: UInt64.max, color: .red, open: false).size == Box.Limits.size.upperBound)
        #expect(Pair.saturating(a: Int64.min, b: UInt8.max) == Pair(a: 0, b: 15))
    }

    /// Strings are cut to their limit between Unicode scalars; the result encodes.
    @Test func saturatingCutsStringsBetweenScalars() throws {
        let value = Containers.saturating(
            label: "ééééé", blob: [], pairs: [], maybe: nil, maybeLabel: "abcdefgh🎮", colors: [], nested: nil)
        #expect(value.label == "éééé")  // 10 bytes → 8
        #expect(value.maybeLabel == "abcdefgh")  // the 4-byte scalar does not fit at all
        var w = BitWriter()
        try value.encodeMessage(into: &w)
        var tooLong = value
        tooLong.label = String(repeating: "x", count: Containers.Limits.label + 1)
        #expect(throws: WireError.self) { try tooLong.encodeMessage(into: &w) }
        #expect(Containers.saturating(label: "ok", blob: [], pairs: [], maybe: nil, maybeLabel: nil, colors: [], nested: nil).maybeLabel == nil)
    }

    @Test func truncatedToUTF8NeverSplitsAScalar() {
        let text = "ab" + String(repeating: "🎮é", count: 10)
        for budget in 0...text.utf8.count + 1 {
            let cut = text.truncatedToUTF8(maxBytes: budget)
            #expect(cut.utf8.count <= budget)
            #expect(text.hasPrefix(cut))
            // Longest: one more scalar would not fit.
            let next = text.unicodeScalars.dropFirst(cut.unicodeScalars.count).first
            if let next { #expect(cut.utf8.count + String(next).utf8.count > budget) }
        }
        #expect("short".truncatedToUTF8(maxBytes: Name.maxLength) == "short")
    }
}

private enum LimitsTestFailure: Error { case wrongMessage }
