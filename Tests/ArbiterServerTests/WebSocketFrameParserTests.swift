import NIOCore
import NIOWebSocket
import Testing

@testable import ArbiterWebSocket

/// The game socket's frame parser on its own: bytes in, steps out.
@Suite struct WebSocketFrameParserTests {
    /// Parses all of `bytes` at once; the steps up to the first `needMoreBytes` or violation,
    /// each message or control payload as bytes.
    static func parseAll(_ parser: inout WebSocketFrameParser, _ bytes: [UInt8]) -> [Event] {
        var input = ByteBuffer(bytes: bytes)
        var message = ByteBuffer()
        var control = ByteBuffer()
        return Self.drain(&parser, &input, &message, &control)
    }

    static func drain(
        _ parser: inout WebSocketFrameParser, _ input: inout ByteBuffer, _ message: inout ByteBuffer, _ control: inout ByteBuffer
    ) -> [Event] {
        var events: [Event] = []
        while true {
            switch parser.next(&input, message: &message, control: &control) {
            case .needMoreBytes: return events
            case .fragment: events.append(.fragment)
            case .message(let opcode): events.append(.message(opcode, Array(message.readableBytesView)))
            case .control(let opcode): events.append(.control(opcode, Array(control.readableBytesView)))
            case .violation(let violation):
                events.append(.violation(violation))
                return events
            }
        }
    }

    enum Event: Equatable {
        case fragment
        case message(WebSocketOpcode, [UInt8])
        case control(WebSocketOpcode, [UInt8])
        case violation(WebSocketViolation)
    }

    static func server(max: Int = 1 << 20, fragments: Int = 64) -> WebSocketFrameParser {
        WebSocketFrameParser(maxMessageSize: max, maxFragments: fragments)
    }

    @Test(arguments: [0, 1, 125, 126, 200, 0xFFFF, 0x10000, 70_000])
    func binaryFrameOfEveryLengthFormIsUnmasked(length: Int) {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var parser = Self.server()
        let frame = TestFrame.bytes(opcode: 0x2, payload: payload)
        #expect(frame.count == payload.count + (length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10) + 4)
        #expect(Self.parseAll(&parser, frame) == [.message(.binary, payload)])
        #expect(!parser.isInsideMessage)
    }

    @Test func fragmentedTextWithControlFramesBetweenTheFragments() {
        let text = Array("héllo, wörld".utf8)
        var bytes = TestFrame.bytes(opcode: 0x1, fin: false, payload: Array(text[0..<2]))  // cuts "é" in half
        bytes += TestFrame.bytes(opcode: 0x9, payload: [1, 2, 3])
        bytes += TestFrame.bytes(opcode: 0x0, fin: false, payload: [])
        bytes += TestFrame.bytes(opcode: 0xA, payload: [])
        bytes += TestFrame.bytes(opcode: 0x0, payload: Array(text[2...]))
        var parser = Self.server()
        #expect(
            Self.parseAll(&parser, bytes) == [
                .fragment, .control(.ping, [1, 2, 3]), .fragment, .control(.pong, []), .message(.text, text),
            ])
    }

    /// The same stream cut at every byte boundary gives the same steps: the parser leaves an
    /// incomplete frame untouched and takes it up again when more bytes follow.
    @Test func splitReadsAtEveryByteBoundaryGiveTheSameSteps() {
        var stream = TestFrame.bytes(opcode: 0x2, payload: Array(0..<10))
        stream += TestFrame.bytes(opcode: 0x1, fin: false, payload: Array("ab".utf8))
        stream += TestFrame.bytes(opcode: 0x9, payload: [9])
        stream += TestFrame.bytes(opcode: 0x0, payload: Array("c".utf8))
        stream += TestFrame.bytes(opcode: 0x2, payload: (0..<300).map { UInt8($0 & 0xFF) })
        stream += TestFrame.bytes(opcode: 0x8, payload: [0x03, 0xE8])
        var whole = Self.server()
        let expected = Self.parseAll(&whole, stream)
        #expect(expected.count == 6)
        for cut in 1..<stream.count {
            var parser = Self.server()
            var input = ByteBuffer(bytes: stream[..<cut])
            var message = ByteBuffer()
            var control = ByteBuffer()
            var events = Self.drain(&parser, &input, &message, &control)
            input.writeBytes(stream[cut...])
            events += Self.drain(&parser, &input, &message, &control)
            #expect(events == expected, "cut at \(cut)")
            #expect(input.readableBytes == 0)
        }
    }

    @Test func oversizedFrameIsRefusedFromItsHeaderAlone() {
        var parser = Self.server(max: 1000)
        // Only the header of a 1001-byte frame: refused before its payload is waited for.
        let header = Array(TestFrame.bytes(opcode: 0x2, payload: [UInt8](repeating: 0, count: 1001)).prefix(8))
        let events = Self.parseAll(&parser, header)
        #expect(events == [.violation(.frameTooLarge(maxBytes: 1000))])
        #expect(WebSocketViolation.frameTooLarge(maxBytes: 1000).code == .messageTooLarge)
    }

    @Test func oversizedMessageOfSmallFragmentsIsRefused() {
        var parser = Self.server(max: 1000)
        var bytes = TestFrame.bytes(opcode: 0x2, fin: false, payload: [UInt8](repeating: 1, count: 600))
        bytes += TestFrame.bytes(opcode: 0x0, payload: [UInt8](repeating: 1, count: 401))
        #expect(Self.parseAll(&parser, bytes) == [.fragment, .violation(.messageTooLarge(maxBytes: 1000))])
    }

    @Test func emptyFragmentFloodEndsTheMessage() {
        var parser = Self.server(max: 1000, fragments: 3)
        var bytes = TestFrame.bytes(opcode: 0x2, fin: false, payload: [])
        for _ in 0..<5 { bytes += TestFrame.bytes(opcode: 0x0, fin: false, payload: []) }
        #expect(
            Self.parseAll(&parser, bytes) == [.fragment, .fragment, .fragment, .violation(.messageTooLarge(maxBytes: 1000))])
    }

    @Test func invalidUTF8InTextIsRefusedWith1007() {
        var parser = Self.server()
        let events = Self.parseAll(&parser, TestFrame.bytes(opcode: 0x1, payload: [0x61, 0xC3, 0x28]))
        #expect(events == [.violation(.invalidUTF8)])
        #expect(WebSocketViolation.invalidUTF8.code == .dataInconsistentWithMessage)
        // The same bytes as binary are fine: only text is UTF-8.
        var binary = Self.server()
        #expect(Self.parseAll(&binary, TestFrame.bytes(opcode: 0x2, payload: [0x61, 0xC3, 0x28])) == [.message(.binary, [0x61, 0xC3, 0x28])])
    }

    /// A fragmented text message fails at the fragment whose bytes cannot be UTF-8, not at the
    /// message's end; a scalar cut between fragments is fine.
    @Test func badUTF8InAFragmentFailsAtThatFragment() {
        var parser = Self.server()
        var bytes = TestFrame.bytes(opcode: 0x1, fin: false, payload: [0x61, 0xE2, 0x82])  // "a" + 2 of €'s 3 bytes
        bytes += TestFrame.bytes(opcode: 0x0, fin: false, payload: [0xAC, 0x62])  // the rest of €, "b"
        bytes += TestFrame.bytes(opcode: 0x0, fin: false, payload: [0xFF])  // never UTF-8
        bytes += TestFrame.bytes(opcode: 0x0, payload: [0x63])
        #expect(Self.parseAll(&parser, bytes) == [.fragment, .fragment, .violation(.invalidUTF8)])
        var cut = Self.server()
        let endsCut = TestFrame.bytes(opcode: 0x1, fin: false, payload: [0x61]) + TestFrame.bytes(opcode: 0x0, payload: [0xE2, 0x82])
        #expect(Self.parseAll(&cut, endsCut) == [.fragment, .violation(.invalidUTF8)], "a scalar cut at the message's end")
    }

    @Test func wholeScalarsLength() {
        let cases: [([UInt8], Int)] = [
            ([], 0), ([0x61], 1), ([0x61, 0xE2], 1), ([0x61, 0xE2, 0x82], 1), ([0xE2, 0x82, 0xAC], 3),
            ([0xF0, 0x9F, 0x98], 0), ([0xF0, 0x9F, 0x98, 0x80], 4), ([0xC3], 0), ([0xC3, 0xA9], 2), ([0x80, 0x80], 2), ([0x61, 0xFF], 2), ([0xC0], 1),
        ]
        for (bytes, expected) in cases {
            #expect(bytes.withUnsafeBytes { WebSocketUTF8.wholeScalarsLength($0) } == expected, "\(bytes)")
        }
    }

    @Test func maskingRules() {
        var server = Self.server()
        #expect(Self.parseAll(&server, TestFrame.bytes(opcode: 0x2, payload: [1], mask: nil)) == [.violation(.unmasked)])
        var client = WebSocketFrameParser(maxMessageSize: 100, maxFragments: 4, expectsMaskedFrames: false)
        #expect(Self.parseAll(&client, TestFrame.bytes(opcode: 0x2, payload: [1])) == [.violation(.masked)])
        var client2 = WebSocketFrameParser(maxMessageSize: 100, maxFragments: 4, expectsMaskedFrames: false)
        #expect(Self.parseAll(&client2, TestFrame.bytes(opcode: 0x2, payload: [1, 2], mask: nil)) == [.message(.binary, [1, 2])])
    }

    @Test(arguments: [
        (TestFrame.bytes(opcode: 0x2, payload: [1], rsv: 0x40), WebSocketViolation.reservedBits),
        (TestFrame.bytes(opcode: 0x3, payload: []), .reservedOpcode(3)),
        (TestFrame.bytes(opcode: 0xB, payload: []), .reservedOpcode(0xB)),
        (TestFrame.bytes(opcode: 0x9, fin: false, payload: []), .fragmentedControl),
        (TestFrame.bytes(opcode: 0x9, payload: [UInt8](repeating: 0, count: 126)), .controlTooLong),
        (TestFrame.bytes(opcode: 0x0, payload: [1]), .unexpectedContinuation),
        (TestFrame.bytes(opcode: 0x2, fin: false, payload: [1]) + TestFrame.bytes(opcode: 0x1, payload: [1]), .expectedContinuation),
        ([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], .badLength),
    ])
    func protocolErrorsAreRefusedWith1002(bytes: [UInt8], violation: WebSocketViolation) {
        var parser = Self.server()
        #expect(Self.parseAll(&parser, bytes).last == .violation(violation))
        #expect(violation.code == .protocolError)
    }

    /// Arbitrary bytes (half of them behind a plausible first byte, so deeper paths run) never
    /// trap, and every step that is not a wait or a violation moves past at least a header.
    @Test func arbitraryBytesNeverTrapAndEveryFrameMovesOn() {
        var random = SplitMix64(seed: 14)
        for round in 0..<5000 {
            var bytes = (0..<Int(random.next() % 48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = [0x82, 0x81, 0x02, 0x80, 0x00, 0x89, 0x88, 0x8A][round / 2 % 8] }
            var parser = WebSocketFrameParser(maxMessageSize: 100, maxFragments: 4, expectsMaskedFrames: round % 3 != 0)
            var input = ByteBuffer(bytes: bytes)
            var message = ByteBuffer()
            var control = ByteBuffer()
            parsing: for _ in 0..<64 {
                let before = input.readerIndex
                switch parser.next(&input, message: &message, control: &control) {
                case .needMoreBytes, .violation: break parsing
                case .fragment, .message, .control: #expect(input.readerIndex >= before + 2)
                }
            }
        }
    }

    @Test func maskingMatchesTheBytewiseDefinitionAtEveryLength() {
        let key: [UInt8] = [0xA1, 0x02, 0xF3, 0x44]
        for length in 0..<40 {
            var bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let expected = bytes.enumerated().map { $0.element ^ key[$0.offset % 4] }
            bytes.withUnsafeMutableBytes { WebSocketMask.apply(WebSocketMask.key(key[0], key[1], key[2], key[3]), to: $0) }
            #expect(bytes == expected, "length \(length)")
        }
    }
}

/// Frames as a client writes them, for tests.
enum TestFrame {
    static func bytes(opcode: UInt8, fin: Bool = true, payload: [UInt8], mask: [UInt8]? = [0x37, 0xFA, 0x21, 0x3D], rsv: UInt8 = 0)
        -> [UInt8]
    {
        var out: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        switch payload.count {
        case 0...125: out.append(maskBit | UInt8(payload.count))
        case 126...0xFFFF: out += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        guard let mask else { return out + payload }
        return out + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }
}

/// A small seeded generator, so a failing case comes back on the next run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
