import ArbiterProtocol

/// The two leading `diff` counters of a Snapshot, `tick` and `ackSeq`: all the load generator
/// needs to count deliveries and time acks, read without decoding the rest (which costs far
/// more than everything else a bot does). Layout (Protocol/README.md 6.1, 6.2): id 8 bits, then
/// the delta bit; in full, both counters as u32; in a delta, per counter a changed bit and, if
/// set, the difference from the baseline in VarBits(32). The baseline is simply the previous
/// Snapshot's header, because every Snapshot the server writes arrives.
struct SnapshotHeader: Equatable, Sendable {
    var tick: UInt32
    var ackSeq: UInt32

    /// Reads a whole Snapshot message's header (starting at the message id).
    init(message: UnsafeRawBufferPointer, baseline: SnapshotHeader?) throws(WireError) {
        guard !message.isEmpty else { throw .emptyMessage }
        var r = BitReader(message)
        let id = UInt8(try r.read(bits: 8))
        guard id == Snapshot.messageID else { throw .unknownMessageID(id) }
        let at = r.bitPosition
        if try r.readBool() {
            guard let baseline else { throw .missingBaseline(at: at) }
            tick = baseline.tick
            ackSeq = baseline.ackSeq
            if try r.readBool() { tick &+= UInt32(truncatingIfNeeded: try r.readVarBits(width: 32)) }
            if try r.readBool() { ackSeq &+= UInt32(truncatingIfNeeded: try r.readVarBits(width: 32)) }
        } else {
            tick = UInt32(truncatingIfNeeded: try r.read(bits: 32))
            ackSeq = UInt32(truncatingIfNeeded: try r.read(bits: 32))
        }
    }

    init(tick: UInt32, ackSeq: UInt32) {
        self.tick = tick
        self.ackSeq = ackSeq
    }
}
