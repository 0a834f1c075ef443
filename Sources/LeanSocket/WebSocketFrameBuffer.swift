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
        let b0 = p.load(as: UInt8.self)
        let b1 = p.load(fromByteOffset: 1, as: UInt8.self)
        if b1 & 0x80 != 0 { throw .masked }
        if b0 & 0x70 != 0 { throw .reservedBits }
        let fin = b0 & 0x80 != 0
        let opcode = b0 & 0x0F
        var headerSize = 2
        var length = UInt64(b1 & 0x7F)
        if length == 126 {
            headerSize = 4
            guard available >= 4 else { return nil }
            length = UInt64(p.load(fromByteOffset: 2, as: UInt8.self)) << 8 | UInt64(p.load(fromByteOffset: 3, as: UInt8.self))
        } else if length == 127 {
            headerSize = 10
            guard available >= 10 else { return nil }
            length = 0
            for i in 2..<10 { length = length << 8 | UInt64(p.load(fromByteOffset: i, as: UInt8.self)) }
        }
        if opcode & 0x8 != 0 {
            if length > 125 { throw .oversizedControl }
            if !fin { throw .fragmentedControl }
        }
        if length > UInt64(maxFrameSize) { throw .tooLarge(length) }
        let total = headerSize + Int(length)
        guard available >= total else {
            needed = total
            return nil
        }
        needed = 0
        start += total
        let frame = Frame(fin: fin, opcode: opcode, payload: UnsafeRawBufferPointer(start: p + headerSize, count: Int(length)))
        if start == end { start = 0; end = 0 }
        return frame
    }
}
