/// One reused buffer for a small client frame (payload up to 125 bytes: an Input, a Ping, a pong
/// to a server's ping): header, the all-zero masking key (`ClientFrames`), payload. Per-tick
/// sends fill it in place and allocate nothing.
public struct SmallClientFrame: ~Copyable {
    public static let maxPayload = 125
    private static let header = 6
    private let storage: UnsafeMutableRawPointer
    private var count = 0

    public init() {
        storage = .allocate(byteCount: Self.header + Self.maxPayload, alignment: 8)
    }

    deinit { storage.deallocate() }

    /// Frames `payload` as one final frame; false (and nothing set) if it is over 125 bytes.
    public mutating func set(opcode: UInt8, payload: UnsafeRawBufferPointer) -> Bool {
        guard payload.count <= Self.maxPayload else { return false }
        storage.storeBytes(of: 0x80 | opcode, as: UInt8.self)
        storage.storeBytes(of: 0x80 | UInt8(payload.count), toByteOffset: 1, as: UInt8.self)
        storage.storeBytes(of: UInt32(0), toByteOffset: 2, as: UInt32.self)
        if let base = payload.baseAddress { (storage + Self.header).copyMemory(from: base, byteCount: payload.count) }
        count = Self.header + payload.count
        return true
    }

    /// The whole frame, valid until the next `set`.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
}
