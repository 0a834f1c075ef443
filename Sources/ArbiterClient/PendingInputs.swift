import NIOCore

/// Send times of the inputs not yet acknowledged, in a fixed ring: seqs are consecutive, so the
/// ring holds only times and the oldest seq.
struct PendingInputs {
    private var sentAt: [UInt64]
    private var oldestSeq: UInt32 = 0
    private var start = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.sentAt = Array(repeating: 0, count: max(1, capacity))
    }

    /// Records `seq` (which must follow the last one pushed). Returns true if the oldest pending
    /// input had to be forgotten to make room.
    mutating func push(seq: UInt32, at time: UInt64) -> Bool {
        var evicted = false
        if self.count == self.sentAt.count {
            self.start = (self.start + 1) % self.sentAt.count
            self.oldestSeq &+= 1
            self.count -= 1
            evicted = true
        }
        if self.count == 0 { self.oldestSeq = seq }
        self.sentAt[(self.start + self.count) % self.sentAt.count] = time
        self.count += 1
        return evicted
    }

    /// Removes every pending input with seq <= `ackSeq`, calling `body` with each send time.
    mutating func acknowledge(through ackSeq: UInt32, _ body: (UInt64) -> Void) {
        while self.count > 0, Int32(bitPattern: ackSeq &- self.oldestSeq) >= 0 {
            body(self.sentAt[self.start])
            self.start = (self.start + 1) % self.sentAt.count
            self.oldestSeq &+= 1
            self.count -= 1
        }
    }

    mutating func removeAll() {
        self.count = 0
        self.start = 0
    }
}
