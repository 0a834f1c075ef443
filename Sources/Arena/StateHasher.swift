/// FNV-1a over 64-bit words: the world's state hash. Fixed, platform-independent and cheap
/// enough to run every tick; `Hasher` is seeded per process and would not do.
public struct StateHasher: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(_ word: UInt64) {
        value = (value ^ word) &* 0x0000_0100_0000_01B3
    }

    public mutating func combine(_ v: Int32) { combine(UInt64(UInt32(bitPattern: v))) }
    public mutating func combine(_ v: UInt32) { combine(UInt64(v)) }
    public mutating func combine(_ v: UInt16) { combine(UInt64(v)) }
    public mutating func combine(_ v: UInt8) { combine(UInt64(v)) }
    public mutating func combine(_ v: Int) { combine(UInt64(bitPattern: Int64(v))) }
    public mutating func combine(_ v: Bool) { combine(UInt64(v ? 1 : 0)) }
    public mutating func combine(_ s: String) {
        combine(s.utf8.count)
        for byte in s.utf8 { combine(UInt64(byte)) }
    }
}
