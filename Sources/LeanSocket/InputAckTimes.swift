/// When each of a client's last `window` Inputs was sent, by `seq`, and how far acknowledgements
/// have been timed: the input→ack latency of the lean clients (the load generator's connections
/// and arbiter-bot's lean bots). Fixed storage inline, so keeping it allocates nothing.
public struct InputAckTimes: Sendable {
    public static let window: UInt32 = 64

    @usableFromInline var sentAt = InlineArray<64, UInt64>(repeating: 0)
    /// The last `ackSeq` whose inputs were timed.
    public var ackedThrough: UInt32 { acked }
    @usableFromInline var acked: UInt32 = 0

    public init() {}

    /// Input `seq` went out at `now`.
    @inlinable public mutating func sent(seq: UInt32, at now: UInt64) {
        sentAt[Int(seq % Self.window)] = now
    }

    /// Calls `record` with the latency (`now` minus its send time) of each Input that `ackSeq`
    /// acknowledges for the first time, among those sent before `nextSeq` and still in the window.
    /// An `ackSeq` at or behind the last one is ignored.
    @inlinable public mutating func acknowledge(_ ackSeq: UInt32, nextSeq: UInt32, now: UInt64, record: (UInt64) -> Void) {
        guard Int32(bitPattern: ackSeq &- acked) > 0 else { return }
        let sentThrough = nextSeq &- 1
        let upTo = Int32(bitPattern: ackSeq &- sentThrough) > 0 ? sentThrough : ackSeq
        var seq = acked &+ 1
        while Int32(bitPattern: upTo &- seq) >= 0 {
            if sentThrough &- seq < Self.window { record(now &- sentAt[Int(seq % Self.window)]) }
            seq &+= 1
        }
        acked = ackSeq
    }
}
