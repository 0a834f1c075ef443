/// A schema `entity`: encodable in full, or as a delta against a baseline with one changed bit
/// per field (Quake III's `MSG_WriteDeltaEntity`).
public protocol DeltaEntity: Hashable, Sendable {
    /// The baseline of a newly created entity: every field at its default.
    static var zero: Self { get }
    func write(to writer: inout BitWriter) throws(WireError)
    init(reading reader: inout BitReader) throws(WireError)
    func writeDelta(from base: Self, to writer: inout BitWriter) throws(WireError)
    init(reading reader: inout BitReader, deltaFrom base: Self) throws(WireError)
}

/// A schema `union` of entity types, the element type of a `set<…>` field.
public protocol EntityUnion: Hashable, Sendable {
    static var kindCount: Int { get }
    static var kindBits: Int { get }
    /// The position of this value's entity type in the union's declaration.
    var kind: Int { get }
    /// Writes the fields as a delta against the zero value of this value's own kind.
    func encodeCreate(to writer: inout BitWriter) throws(WireError)
    /// Writes the fields as a delta against `base`, which has the same kind.
    func encodeUpdate(from base: Self, to writer: inout BitWriter) throws(WireError)
    static func decodeCreate(kind: Int, from reader: inout BitReader) throws(WireError) -> Self
    /// Reads a delta against `self`.
    func decodeUpdate(from reader: inout BitReader) throws(WireError) -> Self
}

/// One entity of a set: its id (generation << 24 | slot index) and its value.
public struct EntitySetEntry<Value: EntityUnion>: Hashable, Sendable {
    public var id: UInt32
    public var value: Value

    public init(id: UInt32, value: Value) {
        self.id = id
        self.value = value
    }

    /// The slot index: the low 24 bits of the id. Sets are sorted by it.
    @inlinable public var slot: UInt32 { id & 0xFF_FFFF }
}

/// A collection an entity set can be encoded from. A source may know, without comparing values,
/// that an entry equals the baseline's entry (e.g. a server that tracks when each entity last
/// changed): the encoder then skips the comparison, which dominates in a crowded view where
/// most entities (projectiles in flight) never change.
public protocol EntitySetSource: RandomAccessCollection where Index == Int {
    /// True only if `self[i]` equals `baseline[j]`, id and value. False is always safe.
    func isKnownUnchanged(_ i: Int, from baseline: Self, _ j: Int) -> Bool
    /// Writes the whole delta from `baseline` (end bit included) a faster way than comparing
    /// entry by entry, if this source has one for this baseline; false (nothing written) if not.
    func encodeBySlot(from baseline: Self, to w: inout BitWriter) throws(WireError) -> Bool
}

/// A plain array of entries knows nothing: every entry is compared.
extension Array: EntitySetSource {
    @inlinable public func isKnownUnchanged(_ i: Int, from baseline: Self, _ j: Int) -> Bool { false }
    @inlinable public func encodeBySlot(from baseline: Self, to w: inout BitWriter) throws(WireError) -> Bool { false }
}

/// Encodes a `set<…>` field as the changes from a baseline set: entities created (or replaced
/// by a new generation in the same slot), updated field by field, or removed, in slot order.
/// A full encoding is the same thing against an empty baseline. Unchanged entities cost nothing.
public enum EntitySetCoder {
    @usableFromInline static let opUpdate: UInt64 = 0
    @usableFromInline static let opCreate: UInt64 = 1
    @usableFromInline static let opRemove: UInt64 = 2

    /// `current` must be sorted by slot with no slot twice; `baseline` is a set this coder
    /// produced or accepted before. Any random-access collections will do, so a sender can read
    /// both in place from entries it shares between receivers (e.g. by index).
    @inlinable public static func encode<V, Source: EntitySetSource>(
        _ current: Source, baseline: Source, max: Int, to w: inout BitWriter
    ) throws(WireError) where Source.Element == EntitySetEntry<V> {
        guard current.count <= max else { throw .tooLong(count: current.count, max: max, at: w.bitCount) }
        if try current.encodeBySlot(from: baseline, to: &w) { return }
        var i = current.startIndex
        var j = baseline.startIndex
        var previous: Int64 = -1
        while i < current.endIndex || j < baseline.endIndex {
            if i < current.endIndex && i > current.startIndex && current[i].slot <= current[i - 1].slot {
                throw .unsortedEntitySet(at: w.bitCount)
            }
            let cSlot = i < current.endIndex ? Int64(current[i].slot) : Int64.max
            let bSlot = j < baseline.endIndex ? Int64(baseline[j].slot) : Int64.max
            if cSlot < bSlot {
                writeHeader(slot: cSlot, op: opCreate, previous: &previous, to: &w)
                try writeCreate(current[i], to: &w)
                i += 1
            } else if bSlot < cSlot {
                writeHeader(slot: bSlot, op: opRemove, previous: &previous, to: &w)
                j += 1
            } else if current.isKnownUnchanged(i, from: baseline, j) {
                i += 1
                j += 1
            } else {
                // Read in place, not into locals: copying an entry (it may hold a String) cost
                // more than comparing it, in the fan-out profile.
                if current[i].id != baseline[j].id || current[i].value.kind != baseline[j].value.kind {
                    writeHeader(slot: cSlot, op: opCreate, previous: &previous, to: &w)
                    try writeCreate(current[i], to: &w)
                } else if current[i].value != baseline[j].value {
                    writeHeader(slot: cSlot, op: opUpdate, previous: &previous, to: &w)
                    try current[i].value.encodeUpdate(from: baseline[j].value, to: &w)
                }
                i += 1
                j += 1
            }
        }
        w.write(0, bits: 1)
    }

    /// An entity's header: a 1 (another entity follows), the slot's distance from the one
    /// before as `writeVarBits(_, width: 24)`, the op. One write of 8, 13 or 29 bits: four
    /// writes were 14 % of a client snapshot's instructions (`instruction-counts`).
    @inlinable @inline(__always) static func writeHeader(slot: Int64, op: UInt64, previous: inout Int64, to w: inout BitWriter) {
        let gap = UInt64(truncatingIfNeeded: slot - previous - 1)
        previous = slot
        if gap < 16 {
            w.write(1 | gap << 2 | op << 6, bits: 8)  // 1, 0, gap: 4, op: 2
        } else if gap < 256 {
            w.write(0b011 | gap << 3 | op << 11, bits: 13)  // 1, 1 0, gap: 8, op: 2
        } else {
            w.write(0b111 | (gap & 0xFF_FFFF) << 3 | op << 27, bits: 29)  // 1, 1 1, gap: 24, op: 2
        }
    }

    @inlinable static func writeCreate<V>(_ entry: EntitySetEntry<V>, to w: inout BitWriter) throws(WireError) {
        w.write(UInt64(entry.id >> 24), bits: 8)
        w.write(UInt64(entry.value.kind), bits: V.kindBits)
        try entry.value.encodeCreate(to: &w)
    }

    @inlinable public static func decode<V>(
        baseline: [EntitySetEntry<V>], max: Int, from r: inout BitReader
    ) throws(WireError) -> [EntitySetEntry<V>] {
        var result: [EntitySetEntry<V>] = []
        result.reserveCapacity(Swift.max(baseline.count, 16))
        var j = 0
        var previous: Int64 = -1
        while try r.readBool() {
            let at = r.bitPosition
            let slot = previous + 1 + Int64(try r.readVarBits(width: 24))
            guard slot <= 0xFF_FFFF else { throw .outOfRange(UInt64(slot), at: at) }
            previous = slot
            while j < baseline.count && Int64(baseline[j].slot) < slot {
                result.append(baseline[j])
                j += 1
            }
            var existing: EntitySetEntry<V>? = nil
            if j < baseline.count && Int64(baseline[j].slot) == slot {
                existing = baseline[j]
                j += 1
            }
            let opAt = r.bitPosition
            switch try r.read(bits: 2) {
            case opUpdate:
                guard let e = existing else { throw .entityNotInBaseline(index: UInt32(slot), at: at) }
                result.append(EntitySetEntry(id: e.id, value: try e.value.decodeUpdate(from: &r)))
            case opCreate:
                let generation = UInt32(try r.read(bits: 8))
                let kindAt = r.bitPosition
                let kind = Int(try r.read(bits: V.kindBits))
                guard kind < V.kindCount else { throw .unknownEntityKind(kind, at: kindAt) }
                let value = try V.decodeCreate(kind: kind, from: &r)
                result.append(EntitySetEntry(id: generation << 24 | UInt32(slot), value: value))
            case opRemove:
                guard existing != nil else { throw .entityNotInBaseline(index: UInt32(slot), at: at) }
            case let op:
                throw .outOfRange(op, at: opAt)
            }
            if result.count > max { throw .tooLong(count: result.count, max: max, at: at) }
        }
        if j < baseline.count { result.append(contentsOf: baseline[j...]) }
        if result.count > max { throw .tooLong(count: result.count, max: max, at: r.bitPosition) }
        return result
    }
}

/// JSON form (golden vectors, tools): `{"id": 5, "type": "Player", "value": {…}}`; the union
/// writes `type` and `value` into the same object.
extension EntitySetEntry: Codable where Value: Codable {
    private enum CodingKeys: String, CodingKey { case id }

    public init(from decoder: any Decoder) throws {
        id = try decoder.container(keyedBy: CodingKeys.self).decode(UInt32.self, forKey: .id)
        value = try Value(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try value.encode(to: encoder)
    }
}
