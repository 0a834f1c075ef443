/// An entity set read in place from entries that many receivers share: `positions` index
/// `entries`, in slot order.
///
/// A server builds each entity's wire value once per tick and every client's view is then a
/// list of positions, so neither the message being encoded nor the baseline a client is owed
/// copies an entry (generated `writeDelta(from:entities:entitiesBaseline:to:)` takes two).
/// A concrete type rather than a generic parameter, so the delta encoder is specialized here,
/// in its own module.
public struct SharedEntitySet<Value: EntityUnion>: EntitySetSource, Sendable {
    public let entries: [EntitySetEntry<Value>]
    public let positions: [Int32]
    /// For each entry (if known), the last tick its value changed; with `tick`, the tick these
    /// entries are of. An entry unchanged since the baseline's tick, with the same id, needs no
    /// comparing.
    public let changedAt: [UInt32]?
    public let tick: UInt32

    public init(entries: [EntitySetEntry<Value>], positions: [Int32], changedAt: [UInt32]? = nil, tick: UInt32 = 0) {
        self.entries = entries
        self.positions = positions
        self.changedAt = changedAt
        self.tick = tick
    }

    @inlinable public func isKnownUnchanged(_ i: Int, from baseline: Self, _ j: Int) -> Bool {
        guard let changedAt, baseline.changedAt != nil else { return false }
        let p = Int(positions[i])
        return changedAt[p] <= baseline.tick && baseline.tick <= tick && entries[p].id == baseline[j].id
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { positions.count }

    @inlinable public subscript(position: Int) -> EntitySetEntry<Value> {
        _read { yield entries[Int(positions[position])] }
    }
}
