import ArbiterProtocol

/// One player's inputs waiting for the room's ticks, oldest first: the server side of
/// Protocol/README.md §12 ("Inputs and acknowledgement").
///
/// The rules, all per player:
/// - Nothing is dropped for arriving in a burst: TCP delivers a stalled stream all at once, and
///   every input is the player's intent. Inputs whose `seq` is not above the last one queued
///   are stale and ignored.
/// - Each tick takes one input; none when the buffer is dry (the ship then holds, which the
///   client predicts exactly). While more than `target` wait, it takes extra ones, up to
///   `maxPerTick`, so a backlog after an outage drains in a fraction of a second instead of
///   adding its length to the player's latency for the rest of the match.
/// - `ackSeq` is the last input taken: the snapshot's `own` state is the state right after it.
/// - `capacity` bounds memory; the session's `InputRateLimit` closes a client long before an
///   honest one could fill it, so reaching it is counted, not expected.
struct InputBuffer {
    enum PushResult: Equatable { case queued, stale, full }

    /// Most inputs simulated in one tick for one player.
    static let maxPerTick = 4

    let capacity: Int
    /// Inputs that may wait without catch-up: absorbs jitter without speeding the ship up.
    let target: Int
    private var queue: [QueuedInput] = []
    private var head = 0
    private(set) var lastQueuedSeq: UInt32 = 0
    private(set) var ackSeq: UInt32 = 0

    /// Storage reserved when the player joins: a normal buffer's depth (the target plus a
    /// catch-up's worth), so queuing allocates only in a burst past it, and then once (the
    /// storage is kept; `QueuedInput` is 12 bytes so that a kept burst costs little).
    /// Reserving all of `capacity` would cost every player ~3 KiB.
    static let reserved = 8

    init(capacity: Int, target: Int) {
        precondition(capacity > 0 && target >= 0)
        self.capacity = capacity
        self.target = target
        queue.reserveCapacity(Swift.min(capacity, Swift.max(Self.reserved, target + Self.maxPerTick)))
    }

    /// Inputs waiting.
    var count: Int { queue.count - head }

    mutating func push(_ input: QueuedInput) -> PushResult {
        guard input.seq > lastQueuedSeq else { return .stale }
        guard count < capacity else { return .full }
        if head > 0 && queue.count == queue.capacity {
            // Compact in place instead of growing: the storage never exceeds `capacity` (plus
            // what was reserved) and nothing allocates once warm.
            queue.removeFirst(head)
            head = 0
        }
        queue.append(input)
        lastQueuedSeq = input.seq
        return .queued
    }

    /// How many inputs this tick takes with `waiting` queued: 0 (hold), 1, or more to catch up.
    static func taken(waiting: Int, target: Int) -> Int {
        guard waiting > 0 else { return 0 }
        let excess = waiting - 1 - target
        let extra = excess > 0 ? Swift.min(maxPerTick - 1, 1 + excess / Swift.max(1, target)) : 0
        return Swift.min(waiting, 1 + extra)
    }

    /// Calls `body` with this tick's inputs, oldest first, and advances `ackSeq`.
    mutating func take(_ body: (QueuedInput) -> Void) {
        let n = Self.taken(waiting: count, target: target)
        for i in head..<(head + n) { body(queue[i]) }
        if n > 0 { ackSeq = queue[head + n - 1].seq }
        head += n
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
    }

    /// A resumed session is a new connection whose `seq` may start anywhere (Protocol/README.md
    /// §5.1): what was queued for the dropped one is forgotten, and the last ack carries over
    /// until the new connection's first input is taken.
    mutating func restart() {
        queue.removeAll(keepingCapacity: true)
        head = 0
        lastQueuedSeq = 0
    }
}
