import ArbiterProtocol
@testable import ArbiterBench
import LeanSocket
import Testing

@Suite("The lean load client's shortcuts agree with the generated codec")
struct LeanWireTests {
    @Test("a patched Input frame carries exactly what the encoder writes")
    func inputFrameMatchesEncoder() throws {
        var frame = InputFrame()
        var writer = BitWriter(capacity: 16)
        var rng = SystemRandomNumberGenerator()
        var serverDecoder = ClientMessageDecoder()
        let cases: [(UInt32, Int, Int, UInt16, Bool, Bool, UInt16)] = [
            (1, 0, 0, 0, false, false, 0), (0xFFFF_FFFF, -127, 127, 0xFFFF, true, true, 0xFFFF),
            (258, 127, -127, 16384, true, false, 0x8001),
        ] + (0..<500).map { _ in
            (UInt32.random(in: 0...UInt32.max, using: &rng), Int.random(in: -127...127, using: &rng),
             Int.random(in: -127...127, using: &rng), UInt16.random(in: 0...UInt16.max, using: &rng), Bool.random(using: &rng),
             Bool.random(using: &rng), UInt16.random(in: 0...UInt16.max, using: &rng))
        }
        for (seq, x, y, aim, fire, secondary, viewTick) in cases {
            frame.set(seq: seq, moveX: x, moveY: y, aim: aim, fire: fire, secondary: secondary, viewTick: viewTick)
            let input = Input(
                seq: seq, moveX: x, moveY: y, aim: Double(aim) * 2 * .pi / 65536, fire: fire, secondary: secondary, viewTick: viewTick)
            try input.encodeMessage(into: &writer)
            #expect(frame.message == writer.bytes, "\(input)")
            #expect(try serverDecoder.decodeInput(frame.message) == input.seq)
        }
        let bytes = withUnsafeBytes(of: frame.bytes) { Array($0) }
        #expect(Array(bytes.prefix(6)) == [0x82, 0x80 | 12, 0, 0, 0, 0], "binary, final, masked with the zero key")
    }

    @Test("the Snapshot header reader follows full and delta snapshots")
    func snapshotHeader() throws {
        var writer = BitWriter()
        var previous: Snapshot?
        var header: SnapshotHeader?
        let steps: [(UInt32, UInt32, Int)] = [
            (100, 0, 0), (101, 0, 3), (102, 1, 3), (102, 1, 0), (140, 5, 255), (1_000_000, 70_000, 1), (3, 2, 1),
        ]
        for (tick, ack, waiting) in steps {
            let snapshot = Snapshot(
                tick: tick, ackSeq: ack, inputBuffer: waiting, own: Own(x: Double(tick % 50), health: 100, alive: true))
            try snapshot.encodeMessage(into: &writer, baseline: previous)
            header = try writer.bytes.withUnsafeBytes { try SnapshotHeader(message: $0, baseline: header) }
            #expect(header == SnapshotHeader(tick: tick, ackSeq: ack, inputBuffer: UInt8(waiting)))
            previous = snapshot
        }
        // A delta without a baseline is refused, as the full decoder does.
        #expect(throws: WireError.self) {
            try writer.bytes.withUnsafeBytes { try SnapshotHeader(message: $0, baseline: nil) }
        }
    }
}

extension ClientMessageDecoder {
    /// The seq of an Input message, through the server's own decoder.
    mutating func decodeInput(_ bytes: [UInt8]) throws -> UInt32? {
        if case .input(let input) = try decode(bytes) { return input.seq }
        return nil
    }
}
