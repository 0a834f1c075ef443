/// An entity id a client can never confuse with an earlier entity of the same slot:
/// `generation << 24 | slot`. Generations start at 1 and skip 0 when they wrap, so the raw
/// value 0 is never a live entity and serves as "none".
public struct EntityID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(slot: Int, generation: UInt8) {
        precondition(slot >= 0 && slot < EntityID.maxSlots, "slot out of range")
        rawValue = UInt32(generation) << 24 | UInt32(slot)
    }

    /// The id no entity ever has.
    public static let none = EntityID(rawValue: 0)
    public static let maxSlots = 1 << 24

    public var slot: Int { Int(rawValue & 0x00FF_FFFF) }
    public var generation: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 24) }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "#\(slot).\(generation)" }
}
