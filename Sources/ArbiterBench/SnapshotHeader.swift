import ArbiterProtocol

/// The three leading fields of a Snapshot, `tick`, `ackSeq` and `inputBuffer`: all the load
/// generator needs to count deliveries, time acks and pace its inputs, read without decoding the
/// rest (which costs far more than everything else a bot does). Layout (Protocol/README.md 6.1,
/// 6.2): id 8 bits, then the delta bit; in full, both counters as u32 and `inputBuffer` in 8
/// bits; in a delta, per field a changed bit and, if set, for a counter the difference from the
/// baseline in VarBits(32), for `inputBuffer` its 8 bits. The baseline is simply the previous
/// Snapshot's header, because every Snapshot the server writes arrives.
struct SnapshotHeader: Equatable, Sendable {
    var tick: UInt32
    var ackSeq: UInt32
    var inputBuffer: UInt8

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
            inputBuffer = baseline.inputBuffer
            if try r.readBool() { tick &+= UInt32(truncatingIfNeeded: try r.readVarBits(width: 32)) }
            if try r.readBool() { ackSeq &+= UInt32(truncatingIfNeeded: try r.readVarBits(width: 32)) }
            if try r.readBool() { inputBuffer = UInt8(truncatingIfNeeded: try r.read(bits: 8)) }
        } else {
            tick = UInt32(truncatingIfNeeded: try r.read(bits: 32))
            ackSeq = UInt32(truncatingIfNeeded: try r.read(bits: 32))
            inputBuffer = UInt8(truncatingIfNeeded: try r.read(bits: 8))
        }
    }

    init(tick: UInt32, ackSeq: UInt32, inputBuffer: UInt8 = 0) {
        self.tick = tick
        self.ackSeq = ackSeq
        self.inputBuffer = inputBuffer
    }
}
