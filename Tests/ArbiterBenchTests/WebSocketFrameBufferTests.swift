@testable import ArbiterBench
import LeanSocket
import Testing

@Suite("Reassembling server WebSocket frames")
struct WebSocketFrameBufferTests {
    /// An unmasked server frame (RFC 6455 §5.2).
    static func serverFrame(opcode: UInt8 = 0x2, fin: Bool = true, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count <= 125 {
            bytes.append(UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            bytes += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            bytes.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: payload.count >> shift)) }
        }
        return bytes + payload
    }

    static func payload(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }
    }

    /// Feeds `chunks` one after the other, collecting every complete frame as it appears.
    static func frames(_ chunks: [[UInt8]], capacity: Int = 64) throws -> [(opcode: UInt8, fin: Bool, payload: [UInt8])] {
        var buffer = WebSocketFrameBuffer(capacity: capacity)
        var out: [(UInt8, Bool, [UInt8])] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { buffer.append($0) }
            while let frame = try buffer.nextFrame() {
                out.append((frame.opcode, frame.fin, Array(frame.payload)))
            }
        }
        return out
    }

    @Test("a stream of frames split at every byte boundary comes out whole")
    func everySplit() throws {
        let payloads = [Self.payload(3, seed: 1), Self.payload(0, seed: 2), Self.payload(300, seed: 3), Self.payload(125, seed: 4)]
        let stream = payloads.flatMap { Self.serverFrame(payload: $0) }
        for split in 0...stream.count {
            let got = try Self.frames([Array(stream[..<split]), Array(stream[split...])])
            #expect(got.map(\.payload) == payloads, "split at \(split)")
        }
        // And one byte per read.
        let byByte = try Self.frames(stream.map { [$0] })
        #expect(byByte.map(\.payload) == payloads)
    }

    @Test("two frames in one read, and 16-bit and 64-bit lengths growing the buffer")
    func twoFramesAndLongLengths() throws {
        let small = Self.payload(10, seed: 5)
        let medium = Self.payload(40_000, seed: 6)
        let large = Self.payload(70_000, seed: 7)
        let frames = try Self.frames([Self.serverFrame(payload: small) + Self.serverFrame(payload: medium), Self.serverFrame(payload: large)])
        #expect(frames.count == 3)
        #expect(frames.map(\.payload) == [small, medium, large])
        let header = Self.serverFrame(payload: medium).prefix(4)
        #expect(Array(header) == [0x82, 126, UInt8(40_000 >> 8), UInt8(40_000 & 0xFF)])
    }

    @Test("control frames and fragments keep their opcode and fin bit")
    func opcodes() throws {
        let stream = Self.serverFrame(opcode: 0x9, payload: [1, 2]) + Self.serverFrame(opcode: 0x2, fin: false, payload: [3])
            + Self.serverFrame(opcode: 0x8, payload: [0x03, 0xE8])
        let got = try Self.frames([stream])
        #expect(got.map(\.opcode) == [0x9, 0x2, 0x8])
        #expect(got.map(\.fin) == [true, false, true])
    }

    @Test("what a server may not send is refused, not trusted")
    func refusals() {
        #expect(throws: WebSocketFrameBuffer.FramingError.masked) { try Self.frames([[0x82, 0x81, 0, 0, 0, 0, 7]]) }
        #expect(throws: WebSocketFrameBuffer.FramingError.reservedBits) { try Self.frames([[0xC2, 0x00]]) }
        #expect(throws: WebSocketFrameBuffer.FramingError.oversizedControl) { try Self.frames([[0x89, 126, 0, 200]]) }
        #expect(throws: WebSocketFrameBuffer.FramingError.fragmentedControl) { try Self.frames([[0x09, 0]]) }
        #expect(throws: WebSocketFrameBuffer.FramingError.tooLarge(1 << 40)) {
            try Self.frames([[0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0]])
        }
    }
}
