import ArbiterWebSocket
import NIOCore
import NIOWebSocket

/// The header of a frame the server sends: FIN set, never masked (RFC 6455 5.1), so 2, 4 or
/// 10 bytes before the payload.
///
/// We write it ourselves, into room the sender leaves in front of the payload, instead of
/// going through NIO's `WebSocketFrameEncoder`: that encoder cannot prepend into a buffer its
/// caller still references (every frame handed to it is), so it writes a separate header buffer
/// and every message costs a second iovec, and the frame is boxed on its way through the
/// pipeline. Measured on the snapshot fan-out, this was the largest avoidable cost per send.
enum ServerFrameHeader {
    /// The most header a frame can need: room senders leave in front of a payload.
    static let maxSize = WebSocketFrameHeader.maxServerSize

    static func size(payloadLength: Int) -> Int {
        WebSocketFrameHeader.size(payloadLength: payloadLength, masked: false)
    }

    /// Writes the header in the bytes just before `buffer`'s readable bytes and moves the reader
    /// index onto it. False (and nothing changed) when there is no room there.
    static func prepend(opcode: WebSocketOpcode, to buffer: inout ByteBuffer) -> Bool {
        let length = buffer.readableBytes
        let start = buffer.readerIndex - size(payloadLength: length)
        guard start >= 0 else { return false }
        _ = set(opcode: opcode, length: length, in: &buffer, at: start)
        buffer.moveReaderIndex(to: start)
        return true
    }

    /// Appends the header of a `length`-byte payload.
    static func write(opcode: WebSocketOpcode, length: Int, to buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: size(payloadLength: length))
        let written = set(opcode: opcode, length: length, in: &buffer, at: buffer.writerIndex)
        buffer.moveWriterIndex(forwardBy: written)
    }

    private static func set(opcode: WebSocketOpcode, length: Int, in buffer: inout ByteBuffer, at index: Int) -> Int {
        buffer.withVeryUnsafeMutableBytes { storage in
            WebSocketFrameHeader.write(
                opcode: opcode, payloadLength: length, maskKey: nil,
                into: UnsafeMutableRawBufferPointer(rebasing: storage[index..<index + size(payloadLength: length)]))
        }
    }
}
