/// An entity set read in place from entries that many receivers share: `positions` index
/// `entries`, in slot order.
///
/// A server builds each entity's wire value once per tick and every client's view is then a
/// list of positions, so neither the message being encoded nor the baseline a client is owed
/// copies an entry (generated `writeDelta(from:entities:entitiesBaseline:to:)` takes two).
/// A concrete type rather than a generic parameter, so the delta encoder is specialized here,
/// in its own module.
public struct SharedEntitySet<Value: EntityUnion>: RandomAccessCollection, Sendable {
    public let entries: [EntitySetEntry<Value>]
    public let positions: [Int32]

    public init(entries: [EntitySetEntry<Value>], positions: [Int32]) {
        self.entries = entries
        self.positions = positions
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { positions.count }

    @inlinable public subscript(position: Int) -> EntitySetEntry<Value> {
        _read { yield entries[Int(positions[position])] }
    }
}
