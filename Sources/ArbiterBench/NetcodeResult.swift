import Foundation

/// One netcode run's figures, as a table for people, JSON for scripts, and a pass/fail check
/// against the issue's targets for CI.
public struct NetcodeResult: Codable, Sendable {
    /// The server's input counters read from /metrics (whichever it exports).
    static let serverCounterNames = [
        "arbiter_inputs_rejected_total", "arbiter_inputs_held_total", "arbiter_inputs_caught_up_total",
        "arbiter_inputs_dropped_total",
    ]

    public var profile: String
    public var link: String
    public var seed: UInt64
    public var bots: Int
    public var seconds: Double
    public var map: String
    public var behavior: String
    public var tickRate: Int
    public var snapshotInterval: Int
    public var connected: Int
    public var aliveSeconds: Double
    public var ownCorrections: Int
    public var correctionsPerBotPerMin: Double
    /// Corrections next to another ship (`NetcodeCounts.ownCorrectionsInContact`), and the rest
    /// per bot per minute alive: free movement, which the issue's ≤ 1 per minute is about.
    public var ownCorrectionsInContact: Int
    public var freeCorrectionsPerBotPerMin: Double
    public var inputAckP50Ms: Double
    public var inputAckP99Ms: Double
    public var inputAckMaxMs: Double
    public var snapshotGapP50Ms: Double
    public var snapshotGapP99Ms: Double
    public var snapshotGapMaxMs: Double
    public var remoteFreezes: Int
    public var remoteHolds: Int
    public var remoteJumps: Int
    public var remoteSteps: Int
    /// After an outage: when own and remote ships moved smoothly again (`NetcodeRecovery`);
    /// NaN ("nan" in JSON) when not within 5 s, absent without an outage.
    public var ownRecoveryMs: Double?
    public var remoteRecoveryMs: Double?
    public var serverCounters: [String: Double]
    public var segmentsLost: Int
    public var fastRetransmits: Int
    public var disconnects: Int
    public var protocolErrors: Int
    /// The machine's 1-minute load average at the end: above 2 the figures are noisy.
    public var loadAverage: Double

    enum CodingKeys: String, CodingKey {
        case profile, link, seed, bots, seconds, map, behavior, connected, disconnects
        case tickRate = "tick_rate", snapshotInterval = "snapshot_interval"
        case aliveSeconds = "alive_seconds", ownCorrections = "own_corrections"
        case correctionsPerBotPerMin = "corrections_per_bot_per_min"
        case ownCorrectionsInContact = "own_corrections_in_contact", freeCorrectionsPerBotPerMin = "free_corrections_per_bot_per_min"
        case inputAckP50Ms = "input_ack_p50_ms", inputAckP99Ms = "input_ack_p99_ms", inputAckMaxMs = "input_ack_max_ms"
        case snapshotGapP50Ms = "snapshot_gap_p50_ms", snapshotGapP99Ms = "snapshot_gap_p99_ms", snapshotGapMaxMs = "snapshot_gap_max_ms"
        case remoteFreezes = "remote_freezes", remoteHolds = "remote_holds", remoteJumps = "remote_jumps", remoteSteps = "remote_steps"
        case ownRecoveryMs = "own_recovery_ms", remoteRecoveryMs = "remote_recovery_ms"
        case serverCounters = "server_counters", segmentsLost = "segments_lost", fastRetransmits = "fast_retransmits"
        case protocolErrors = "protocol_errors", loadAverage = "load_average"
    }

    /// What `--check` holds a run to; nil is not checked. The defaults catch a server that
    /// loses, repeats or reorders inputs again (corrections by the hundred per minute) and
    /// leave the rest to the options.
    public struct Thresholds: Sendable {
        public var correctionsPerBotPerMin = 10.0
        /// The issue's target is 1 per minute in free movement.
        public var freeCorrectionsPerBotPerMin: Double?
        public var remoteFreezes: Int?
        public var remoteHolds: Int?
        public var remoteJumps: Int?
        /// The issue's target is RTT + 3 ticks + 2σ jitter.
        public var inputAckP99Ms: Double?
        /// After an outage, own and remote ships smooth again within this (the issue's target is
        /// 300 ms).
        public var recoveryMs: Double?
        public init() {}
    }

    /// The targets a run missed, in words; empty when it passed.
    public func failures(against thresholds: Thresholds) -> [String] {
        var failures: [String] = []
        if connected < bots { failures.append("only \(connected) of \(bots) bots joined") }
        if protocolErrors > 0 { failures.append("\(protocolErrors) protocol errors") }
        if correctionsPerBotPerMin > thresholds.correctionsPerBotPerMin {
            failures.append("own-ship corrections \(f(correctionsPerBotPerMin, 2)) per bot per minute > \(f(thresholds.correctionsPerBotPerMin, 2))")
        }
        if let limit = thresholds.freeCorrectionsPerBotPerMin, freeCorrectionsPerBotPerMin > limit {
            failures.append("own-ship corrections in free movement \(f(freeCorrectionsPerBotPerMin, 2)) per bot per minute > \(f(limit, 2))")
        }
        for (name, value, limit) in [
            ("freezes", remoteFreezes, thresholds.remoteFreezes), ("holds", remoteHolds, thresholds.remoteHolds),
            ("jumps", remoteJumps, thresholds.remoteJumps),
        ] {
            if let limit, value > limit { failures.append("remote-ship \(name) \(value) > \(limit)") }
        }
        for (name, value) in [("own", ownRecoveryMs), ("remote", remoteRecoveryMs)] {
            guard let value, let limit = thresholds.recoveryMs, !(value <= limit) else { continue }
            failures.append("\(name) ships smooth \(value.isFinite ? "\(f(value, 0)) ms" : "not within 5 s") after the outage > \(f(limit, 0)) ms")
        }
        if let bound = thresholds.inputAckP99Ms, inputAckP99Ms > bound {
            failures.append("input→ack p99 \(f(inputAckP99Ms, 1)) ms > \(f(bound, 1)) ms")
        }
        return failures
    }

    public func json() -> String { prettyJSON(self) }

    public func table() -> String {
        var lines = [
            "Netcode: \(connected)/\(bots) bots (\(behavior)) on \(map), \(tickRate) Hz, a snapshot every \(snapshotInterval) ticks, "
                + "\(f(seconds, 1)) s through the link: \(link); seed \(seed)",
            "own-ship corrections (> 2 units)   \(f(correctionsPerBotPerMin, 2)) per bot per minute alive (\(ownCorrections) in \(f(aliveSeconds, 0)) s alive), "
                + "\(f(freeCorrectionsPerBotPerMin, 2)) in free movement (\(ownCorrectionsInContact) next to another ship)",
            "input→ack                          p50 \(f(inputAckP50Ms, 1)) ms, p99 \(f(inputAckP99Ms, 1)) ms, max \(f(inputAckMaxMs, 1)) ms",
            "remote ships                       \(remoteFreezes) freezes, \(remoteHolds) holds, \(remoteJumps) jumps in \(remoteSteps) steps looked at",
            "snapshot gaps                      p50 \(f(snapshotGapP50Ms, 1)) ms, p99 \(f(snapshotGapP99Ms, 1)) ms, max \(f(snapshotGapMaxMs, 1)) ms",
        ]
        let counters = Self.serverCounterNames.map { name in "\(name) " + (serverCounters[name].map { f($0, 0) } ?? "n/a") }
        lines.append("server                             " + counters.joined(separator: ", "))
        if profile == LinkProfile.Name.outage.rawValue || ownRecoveryMs != nil || remoteRecoveryMs != nil {
            let text = { (ms: Double?) in ms.flatMap { $0.isFinite ? "\(f($0, 0)) ms" : nil } ?? "not within 5 s" }
            lines.append("after the outage, smooth again     own ships \(text(ownRecoveryMs)), remote ships \(text(remoteRecoveryMs))")
        }
        lines.append("link                               \(segmentsLost) segments lost, \(fastRetransmits) recovered by fast retransmit; "
            + "\(disconnects) disconnects, \(protocolErrors) protocol errors; load average \(f(loadAverage, 2))")
        return lines.joined(separator: "\n")
    }
}
