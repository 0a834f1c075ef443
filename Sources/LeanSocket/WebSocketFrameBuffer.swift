import ArbiterWebSocket
import NIOWebSocket

/// One connection's receive buffer for the lean load generator: socket reads land in it, and
/// server WebSocket frames (RFC 6455 §5.2) are cut out of it in place, however the reads split
/// them. A frame's payload is borrowed from the buffer, so receiving costs no allocation; the
/// buffer grows only when a frame is larger than it (rare: a crowded full snapshot).
public struct WebSocketFrameBuffer: ~Copyable {
    public struct Frame {
        public var fin: Bool
        public var opcode: UInt8
        /// Valid until the next `prepareForRead`.
        public var payload: UnsafeRawBufferPointer
    }

    /// What a server may not send us; the connection is closed with 1002 and counted.
    public enum FramingError: Error, Equatable {
        case masked, reservedBits, oversizedControl, fragmentedControl, tooLarge(UInt64)
    }

    private var storage: UnsafeMutableRawPointer
    public private(set) var capacity: Int
    public let maxFrameSize: Int
    private var start = 0
    private var end = 0
    /// Header plus payload of the frame at `start`, once its header is known to be incomplete.
    private var needed = 0

    public init(capacity: Int = 16 * 1024, maxFrameSize: Int = 1 << 20) {
        self.capacity = capacity
        self.maxFrameSize = maxFrameSize
        self.storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Bytes received but not yet handed out as frames (an HTTP response, a partial frame).
    public var readable: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + start, count: end - start)
    }

    /// Drops `count` bytes from the front of `readable` (the HTTP response before the frames).
    public mutating func consume(_ count: Int) {
        start += count
        if start == end { start = 0; end = 0 }
    }

    /// Free space at the end for the next read, after moving a partial frame to the front and
    /// growing for a frame that cannot fit.
    public mutating func prepareForRead() -> UnsafeMutableRawBufferPointer {
        if start == end {
            start = 0; end = 0
        } else if start > 0 && (capacity - end < 4096 || start + needed > capacity) {
            (storage).copyMemory(from: storage + start, byteCount: end - start)
            end -= start
            start = 0
        }
        if needed > capacity || capacity - end < 512 {
            var newCapacity = capacity * 2
            while newCapacity < needed { newCapacity *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            grown.copyMemory(from: storage + start, byteCount: end - start)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
            end -= start
            start = 0
        }
        return UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end)
    }

    public mutating func didRead(_ count: Int) {
        end += count
    }

    /// Copies bytes in (tests, and anything not read straight from a socket).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            let space = prepareForRead()
            let n = min(space.count, rest.count)
            space.baseAddress!.copyMemory(from: rest.baseAddress!, byteCount: n)
            didRead(n)
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func nextFrame() throws(FramingError) -> Frame? {
        let available = end - start
        guard available >= 2 else { return nil }
        let p = storage + start
        // The header's bytes are read by the parser the server uses too; the rules differ (a
        // server's frames are unmasked), so they are checked here.
        let header: WebSocketFrameHeader
        switch WebSocketFrameHeader.parse(UnsafeRawBufferPointer(start: p, count: available)) {
        case .needMoreBytes: return nil
        case .violation: throw .tooLarge(UInt64.max)  // a 64-bit length with its top bit set
        case .header(let parsed): header = parsed
        }
        if header.maskKey != nil { throw .masked }
        if header.reservedBits != 0 { throw .reservedBits }
        if header.isControl {
            if header.payloadLength > 125 { throw .oversizedControl }
            if !header.fin { throw .fragmentedControl }
        }
        if header.payloadLength > maxFrameSize { throw .tooLarge(UInt64(header.payloadLength)) }
        let headerSize = header.size
        let fin = header.fin
        let opcode = UInt8(webSocketOpcode: header.opcode)
        let length = header.payloadLength
        let total = headerSize + length
        guard available >= total else {
            needed = total
            return nil
        }
        needed = 0
        start += total
        let frame = Frame(fin: fin, opcode: opcode, payload: UnsafeRawBufferPointer(start: p + headerSize, count: length))
        if start == end { start = 0; end = 0 }
        return frame
    }
}
