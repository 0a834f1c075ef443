/// An entity set read in place from entries that many receivers share: `positions` index
/// `entries`, in slot order.
///
/// A server builds each entity's wire value once per tick and every client's view is then a
/// list of positions, so neither the message being encoded nor the baseline a client is owed
/// copies an entry (generated `writeDelta(from:entities:entitiesBaseline:to:)` takes two).
/// A concrete type rather than a generic parameter, so the delta encoder is specialized here,
/// in its own module.
///
/// With the frame's `SharedFrame` and the view as a `SlotSet` on both sides, the delta is encoded
/// a word of slots at a time (`encodeBySlot(from:to:)`), fastest when the baseline is the frame
/// just before; otherwise entity by entity (`EntitySetCoder`). A view by slot alone
/// (`init(frame:slots:)`, no positions: what a server keeps per client) encodes only the first
/// way, against another such view.
public struct SharedEntitySet<Value: EntityUnion>: EntitySetSource, Sendable {
    public let entries: [EntitySetEntry<Value>]
    public let positions: [Int32]
    /// For each entry (if known), the last tick its value changed; with `tick`, the tick these
    /// entries are of. An entry unchanged since the baseline's tick, with the same id, needs no
    /// comparing.
    public let changedAt: [UInt32]?
    public let tick: UInt32
    /// For a view by slot alone: its frame and slots (`positions` and `entries` are empty then,
    /// and the set is only read by `encodeBySlot`, from the frame's tables and entries).
    ///
    /// Not retained: a view lives only while a caller that holds its frame encodes it (a server
    /// session holds its baseline frame; the room's fan-out the current one). Every loop's
    /// sessions read the same frames, so each retain was an atomic on a cache line the other
    /// core also writes: `swift_retain` was 9.7 % of the server's CPU with two loops and 5.0 %
    /// with one (perf at 1,000 clients).
    public unowned(unsafe) let frame: SharedFrame<Value>?
    /// The frame's tables, copied: the delta's loop reads them with no reference count.
    public let tables: SharedFrame<Value>.Tables?
    /// The frame's `previousTick`.
    public let previousTick: UInt32?
    public let slots: SlotSet?

    public init(entries: [EntitySetEntry<Value>], positions: [Int32], changedAt: [UInt32]? = nil, tick: UInt32 = 0) {
        self.entries = entries
        self.positions = positions
        self.changedAt = changedAt
        self.tick = tick
        self.frame = nil
        self.tables = nil
        self.previousTick = nil
        self.slots = nil
    }

    /// The view `slots` of `frame`, by slot alone: no positions to build or keep. The caller
    /// keeps `frame` alive while it uses the view (see `frame`).
    public init(frame: SharedFrame<Value>, slots: SlotSet) {
        self.entries = []
        self.positions = []
        self.changedAt = nil
        self.tick = frame.tick
        self.frame = frame
        self.tables = frame.tables
        self.previousTick = frame.previousTick
        self.slots = slots
    }

    @inlinable public func isKnownUnchanged(_ i: Int, from baseline: Self, _ j: Int) -> Bool {
        guard let changedAt, baseline.changedAt != nil else { return false }
        let p = Int(positions[i])
        return changedAt[p] <= baseline.tick && baseline.tick <= tick && entries[p].id == baseline[j].id
    }

    /// The delta from `baseline` a word of 64 slots at a time, when both sides have their frame
    /// and slots. Against the frame just before (nearly always), slots in both views whose entry
    /// did not change are skipped together, and a changed entity's update is copied from the
    /// frame's; against an older one (snapshots skipped), entries are compared, skipping those
    /// unchanged since the baseline's tick (`changedAt`). Writes what `EntitySetCoder.encode`
    /// would, bit for bit.
    @inlinable public func encodeBySlot(from baseline: Self, to w: inout BitWriter) throws(WireError) -> Bool {
        guard let tables, let current = slots, let previous = baseline.slots, let baselineTables = baseline.tables else {
            precondition(frame == nil && baseline.frame == nil, "a view by slot alone encodes only against another view by slot")
            return false
        }
        let consecutive = previousTick == baseline.tick
        let spans = consecutive ? tables.updateSpans : UnsafeBufferPointer(start: nil, count: 0)
        let unchanged = consecutive ? tables.unchanged : UnsafeBufferPointer(start: nil, count: 0)
        var last: Int64 = -1
        let words = current.range.isEmpty ? previous.range : previous.range.isEmpty ? current.range
            : Swift.min(current.range.lowerBound, previous.range.lowerBound)..<Swift.max(current.range.upperBound, previous.range.upperBound)
        for word in words {
            let now = current.range.contains(word) ? current.words[word] : 0
            let before = previous.range.contains(word) ? previous.words[word] : 0
            let same = word < unchanged.count ? now & before & unchanged[word] : 0
            var pending = (now | before) & ~same
            while pending != 0 {
                let bit = UInt64(pending.trailingZeroBitCount)
                pending &= pending &- 1
                let slot = word << 6 | Int(bit)
                if now & (1 << bit) == 0 {
                    EntitySetCoder.writeHeader(slot: Int64(slot), op: EntitySetCoder.opRemove, previous: &last, to: &w)
                    continue
                }
                if before & (1 << bit) != 0, slot < spans.count, case let span = spans[slot], span != 0 {
                    // Same id and kind as the frame before's, another value: its update is there.
                    EntitySetCoder.writeHeader(slot: Int64(slot), op: EntitySetCoder.opUpdate, previous: &last, to: &w)
                    w.write(bitsOf: tables.updateBits, from: Int(span >> 16), count: Int(span & 0xFFFF))
                    continue
                }
                // Entering the view, replaced, or (skipped snapshots) against an older frame: the
                // entries themselves, from the frames the caller holds.
                let p = Int(tables.positionBySlot[slot])
                let entries = frame.unsafelyUnwrapped.entries
                guard before & (1 << bit) != 0 else {
                    EntitySetCoder.writeHeader(slot: Int64(slot), op: EntitySetCoder.opCreate, previous: &last, to: &w)
                    try EntitySetCoder.writeCreate(entries[p], to: &w)
                    continue
                }
                let q = Int(baselineTables.positionBySlot[slot])
                let baselineEntries = baseline.frame.unsafelyUnwrapped.entries
                if entries[p].id != baselineEntries[q].id || entries[p].value.kind != baselineEntries[q].value.kind {
                    EntitySetCoder.writeHeader(slot: Int64(slot), op: EntitySetCoder.opCreate, previous: &last, to: &w)
                    try EntitySetCoder.writeCreate(entries[p], to: &w)
                } else if consecutive || frame.unsafelyUnwrapped.changedAt[p] > baseline.tick, entries[p].value != baselineEntries[q].value {
                    EntitySetCoder.writeHeader(slot: Int64(slot), op: EntitySetCoder.opUpdate, previous: &last, to: &w)
                    try entries[p].value.encodeUpdate(from: baselineEntries[q].value, to: &w)
                }
            }
        }
        w.write(0, bits: 1)
        return true
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { positions.count }

    @inlinable public subscript(position: Int) -> EntitySetEntry<Value> {
        _read { yield entries[Int(positions[position])] }
    }
}
