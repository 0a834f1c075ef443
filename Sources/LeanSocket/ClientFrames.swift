import ArbiterWebSocket
import ArbiterProtocol
import NIOWebSocket

/// What the lean load generator sends: RFC 6455 client frames, always masked, with the all-zero
/// masking key. The key must be present (a server closes on an unmasked client frame) but zero
/// makes XOR-masking a no-op, so a prebuilt frame is sent as is.
public enum ClientFrames {
    public static let binary: UInt8 = 0x2
    public static let close: UInt8 = 0x8
    public static let ping: UInt8 = 0x9
    public static let pong: UInt8 = 0xA

    /// A whole masked frame (handshake, pong, close: rare, so allocating is fine).
    public static func frame(opcode: UInt8, payload: some Collection<UInt8>) -> [UInt8] {
        let count = payload.count
        var bytes = [UInt8](repeating: 0, count: WebSocketFrameHeader.size(payloadLength: count, masked: true))
        bytes.withUnsafeMutableBytes {
            _ = WebSocketFrameHeader.write(
                opcode: WebSocketOpcode(encodedWebSocketOpcode: opcode)!, payloadLength: count, maskKey: 0, into: $0)
        }
        bytes += payload
        return bytes
    }

    /// A close frame with a status code (RFC 6455 §5.5.1).
    public static func close(code: UInt16) -> [UInt8] {
        frame(opcode: close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// Hello, encoded by the generated codec, in a binary frame.
    public static func hello(name: String) throws(WireError) -> [UInt8] {
        var writer = BitWriter(capacity: 64)
        try Hello(protocolVersion: ArenaProtocol.version, schemaHash: ArenaProtocol.schemaHash, name: name)
            .encodeMessage(into: &writer)
        return frame(opcode: binary, payload: writer.bytes)
    }
}

/// The Input frame of one bot, patched in place every tick.
///
/// Input's fields mostly fall on byte boundaries (id 8 bits, seq 32, moveX 8, moveY 8, aim 16,
/// then the two buttons and the 16-bit viewTick from bit 74), so each is a plain store or two; `InputFrameTests` checks the bytes
/// against the generated encoder for many inputs, so a schema change that moves a field fails
/// there instead of sending garbage.
public struct InputFrame {
    public static let size = 18
    private static let header = 6
    private static let messageSize = size - header

    /// 2 header bytes, a zero masking key, then the 12-byte message (and 6 unused bytes).
    public private(set) var bytes: (UInt64, UInt64, UInt64) = (0, 0, 0)

    public init() {
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw[0] = 0x80 | ClientFrames.binary
            raw[1] = 0x80 | UInt8(Self.messageSize)
            raw[Self.header] = Input.messageID
        }
    }

    /// `aim` is the binary angle (65536 per turn), which is exactly the wire's angle(16) step.
    public mutating func set(seq: UInt32, moveX: Int, moveY: Int, aim: UInt16, fire: Bool, secondary: Bool = false, viewTick: UInt16 = 0) {
        withUnsafeMutableBytes(of: &bytes) { raw in
            let p = Self.header
            raw[p + 1] = UInt8(truncatingIfNeeded: seq)
            raw[p + 2] = UInt8(truncatingIfNeeded: seq >> 8)
            raw[p + 3] = UInt8(truncatingIfNeeded: seq >> 16)
            raw[p + 4] = UInt8(truncatingIfNeeded: seq >> 24)
            raw[p + 5] = UInt8(clamping: min(max(moveX, -127), 127) + 127)
            raw[p + 6] = UInt8(clamping: min(max(moveY, -127), 127) + 127)
            raw[p + 7] = UInt8(truncatingIfNeeded: aim)
            raw[p + 8] = UInt8(truncatingIfNeeded: aim >> 8)
            raw[p + 9] = (fire ? 1 : 0) | (secondary ? 2 : 0) | UInt8(truncatingIfNeeded: viewTick << 2)
            raw[p + 10] = UInt8(truncatingIfNeeded: viewTick >> 6)
            raw[p + 11] = UInt8(truncatingIfNeeded: viewTick >> 14)
        }
    }

    /// The Input message without the frame header (for checking against the codec).
    public var message: [UInt8] {
        withUnsafeBytes(of: bytes) { Array($0[Self.header..<Self.size]) }
    }
}
