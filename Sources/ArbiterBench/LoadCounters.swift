import ArbiterClient

/// What one load thread counts. Each thread owns its own (no sharing on the hot path) and hands
/// a copy to the coordinator at the window's end.
struct LoadCounters: Sendable {
    var snapshotsReceived = 0
    /// Snapshots that never came: tick advanced by more than one snapshot interval.
    var snapshotsMissed = 0
    var inputsSent = 0
    /// Inputs not sent because the socket would have blocked.
    var inputsDropped = 0
    /// Snapshots also decoded completely by the generated codec (`--full-decode-every`).
    var fullDecodes = 0
    var joins = 0
    var connectFailures = 0
    var kicks = 0
    /// Connections that ended without us stopping them.
    var closed = 0
    /// Undecodable messages, framing errors, failed handshakes.
    var protocolErrors = 0
    /// From writing Input seq N to the first Snapshot whose ackSeq >= N.
    var inputAck = LatencyHistogram()
    /// Sum of `Snapshot.inputBuffer` over the snapshots received (inputs still queued on the
    /// server after the tick): divided by `snapshotsReceived`, the inputs' mean wait in ticks.
    var queuedInputs = 0
    /// Snapshots after which the server had held a bot's ship (no input of its queued).
    var holds = 0

    mutating func merge(_ other: LoadCounters) {
        snapshotsReceived += other.snapshotsReceived
        snapshotsMissed += other.snapshotsMissed
        inputsSent += other.inputsSent
        inputsDropped += other.inputsDropped
        fullDecodes += other.fullDecodes
        joins += other.joins
        connectFailures += other.connectFailures
        kicks += other.kicks
        closed += other.closed
        protocolErrors += other.protocolErrors
        inputAck.merge(other.inputAck)
        queuedInputs += other.queuedInputs
        holds += other.holds
    }

    /// The window's share of the rates; the connection counts stay totals since the start
    /// (they explain why fewer than all clients may be playing).
    func windowed(since start: LoadCounters) -> LoadCounters {
        var result = self
        result.snapshotsReceived -= start.snapshotsReceived
        result.snapshotsMissed -= start.snapshotsMissed
        result.inputsSent -= start.inputsSent
        result.inputsDropped -= start.inputsDropped
        result.fullDecodes -= start.fullDecodes
        result.queuedInputs -= start.queuedInputs
        result.holds -= start.holds
        return result
    }
}
