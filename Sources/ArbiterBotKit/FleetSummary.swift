import ArbiterClient
import NIOCore
import Foundation

/// The JSON a run prints at the end (`--json`): per-bot rates over the time bots were actually
/// joined, latencies in milliseconds, and the process's CPU use (100 = one core).
public struct FleetSummary: Codable, Sendable, Equatable {
    public struct Latency: Codable, Sendable, Equatable {
        public var p50: Double
        public var p99: Double
        public var max: Double
    }

    public var bots: Int
    public var seconds: Double
    /// Bots that joined at least once.
    public var connected: Int
    public var failedConnects: Int
    /// Unexpected disconnects by the close code the server sent ("none": no close frame).
    public var disconnects: [String: Int]
    public var kicks: [String: Int]
    public var protocolErrors: Int
    public var snapshots: Int
    public var snapshotsMissed: Int
    /// Snapshots received out of those the server sent: received / (received + missed).
    public var snapshotRatio: Double
    public var inputsSent: Int
    public var messagesOut: Int
    public var messagesIn: Int
    public var bytesIn: Int
    public var bytesOut: Int
    public var botSeconds: Double
    public var snapshotsPerBotPerS: Double
    public var bytesInPerBotPerS: Double
    public var bytesOutPerBotPerS: Double
    public var wireBytesInPerBotPerS: Double
    public var wireBytesOutPerBotPerS: Double
    public var inputAckMs: Latency
    public var snapshotGapMs: Latency
    public var pingMs: Latency
    public var skippedTicks: Int
    /// Own-ship corrections (prediction off by more than 2 units) per bot per minute alive.
    public var correctionsPerBotPerMin: Double
    public var ownCorrections: Int
    /// Of those, the ones next to another ship (pushes no client predicts), and the rest per bot
    /// per minute alive: corrections in free movement, the issue's yardstick.
    public var ownCorrectionsInContact: Int
    public var freeCorrectionsPerBotPerMin: Double
    public var aliveSeconds: Double
    /// Remote ships that stood still over more than a snapshot interval between moving, and
    /// that moved further than 1.5 × max speed between snapshots (`RemoteShipWatch`).
    public var remoteFreezes: Int
    public var remoteHolds: Int
    public var remoteJumps: Int
    /// Steps of remote ships looked at (one ship seen alive in two consecutive snapshots).
    public var remoteSteps: Int
    public var botCpuPercent: Double
    public var cpuCores: Int
    public var firstError: String?

    enum CodingKeys: String, CodingKey {
        case bots, seconds, connected, disconnects, kicks, snapshots
        case failedConnects = "failed_connects"
        case protocolErrors = "protocol_errors"
        case snapshotsMissed = "snapshots_missed"
        case snapshotRatio = "snapshot_ratio"
        case inputsSent = "inputs_sent"
        case messagesOut = "messages_out"
        case messagesIn = "messages_in"
        case bytesIn = "bytes_in"
        case bytesOut = "bytes_out"
        case botSeconds = "bot_seconds"
        case snapshotsPerBotPerS = "snapshots_per_bot_per_s"
        case bytesInPerBotPerS = "bytes_in_per_bot_per_s"
        case bytesOutPerBotPerS = "bytes_out_per_bot_per_s"
        case wireBytesInPerBotPerS = "wire_bytes_in_per_bot_per_s"
        case wireBytesOutPerBotPerS = "wire_bytes_out_per_bot_per_s"
        case inputAckMs = "input_ack_ms"
        case snapshotGapMs = "snapshot_gap_ms"
        case pingMs = "ping_ms"
        case skippedTicks = "skipped_ticks"
        case correctionsPerBotPerMin = "corrections_per_bot_per_min"
        case ownCorrections = "own_corrections"
        case ownCorrectionsInContact = "own_corrections_in_contact"
        case freeCorrectionsPerBotPerMin = "free_corrections_per_bot_per_min"
        case aliveSeconds = "alive_seconds"
        case remoteFreezes = "remote_freezes"
        case remoteHolds = "remote_holds"
        case remoteJumps = "remote_jumps"
        case remoteSteps = "remote_steps"
        case botCpuPercent = "bot_cpu_percent"
        case cpuCores = "cpu_cores"
        case firstError = "first_error"
    }

    /// From the sample taken before the first connect and the one after the last close.
    public init(bots: Int, start: FleetSample, end: FleetSample) {
        let seconds = Double((end.at - start.at).nanoseconds) / 1e9
        let botSeconds = max(end.botSeconds, 0.001)
        func ms(_ h: LatencyHistogram) -> Latency {
            let top = h.count == 0 ? 0 : h.max
            return Latency(p50: Self.round(Double(h.percentile(50)) / 1e6), p99: Self.round(Double(h.percentile(99)) / 1e6), max: Self.round(Double(top) / 1e6))
        }
        self.bots = bots
        self.seconds = Self.round(seconds)
        connected = end.joinedBots
        failedConnects = end.failedConnects
        disconnects = end.disconnects
        kicks = end.kicks
        protocolErrors = end.protocolErrors
        snapshots = end.snapshots
        snapshotsMissed = end.snapshotsMissed
        snapshotRatio = end.snapshots > 0 ? Self.round(Double(end.snapshots) / Double(end.snapshots + end.snapshotsMissed) * 1e3) / 1e3 : 0
        inputsSent = end.inputs
        messagesOut = end.transport.messagesOut
        messagesIn = end.transport.messagesIn
        bytesIn = end.transport.bytesIn
        bytesOut = end.transport.bytesOut
        self.botSeconds = Self.round(end.botSeconds)
        snapshotsPerBotPerS = Self.round(Double(end.snapshots) / botSeconds)
        bytesInPerBotPerS = Self.round(Double(end.transport.bytesIn) / botSeconds)
        bytesOutPerBotPerS = Self.round(Double(end.transport.bytesOut) / botSeconds)
        wireBytesInPerBotPerS = Self.round(Double(end.transport.wireBytesIn) / botSeconds)
        wireBytesOutPerBotPerS = Self.round(Double(end.transport.wireBytesOut) / botSeconds)
        inputAckMs = ms(end.ack)
        snapshotGapMs = ms(end.gap)
        pingMs = ms(end.roundTrip)
        skippedTicks = end.skippedTicks
        ownCorrections = end.netcode.ownCorrections
        aliveSeconds = Self.round(end.netcode.aliveSeconds)
        correctionsPerBotPerMin = Self.round(end.netcode.aliveSeconds > 0 ? Double(end.netcode.ownCorrections) / (end.netcode.aliveSeconds / 60) : 0)
        ownCorrectionsInContact = end.netcode.ownCorrectionsInContact
        let free = end.netcode.ownCorrections - end.netcode.ownCorrectionsInContact
        freeCorrectionsPerBotPerMin = Self.round(end.netcode.aliveSeconds > 0 ? Double(free) / (end.netcode.aliveSeconds / 60) : 0)
        remoteFreezes = end.netcode.remoteFreezes
        remoteHolds = end.netcode.remoteHolds
        remoteJumps = end.netcode.remoteJumps
        remoteSteps = end.netcode.remoteSteps
        botCpuPercent = Self.round((end.cpuSeconds - start.cpuSeconds) / max(seconds, 0.001) * 100)
        cpuCores = ProcessCPU.cores
        firstError = end.firstError
    }

    /// A run fails on any protocol error, unexpected disconnect or failed connect.
    public var failed: Bool {
        protocolErrors > 0 || failedConnects > 0 || !disconnects.isEmpty
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}


extension FleetSummary {
    /// A few lines for a person, when `--json` is not given.
    public var humanReadable: String {
        var lines = [
            "\(connected)/\(bots) bots joined over \(StatusLine.fixed(seconds, 1)) s; \(failedConnects) failed connects, "
                + "\(protocolErrors) protocol errors, unexpected disconnects \(disconnects.isEmpty ? "none" : "\(disconnects)")",
            "per bot: \(StatusLine.fixed(snapshotsPerBotPerS, 1)) snapshots/s (\(StatusLine.fixed(snapshotRatio * 100, 2)) % of those sent), in \(StatusLine.fixed(bytesInPerBotPerS / 1000, 2)) kB/s, "
                + "out \(StatusLine.fixed(bytesOutPerBotPerS / 1000, 2)) kB/s",
            "input→ack p50 \(inputAckMs.p50) ms p99 \(inputAckMs.p99) ms max \(inputAckMs.max) ms; "
                + "snapshot gap p50 \(snapshotGapMs.p50) ms p99 \(snapshotGapMs.p99) ms; bot CPU \(StatusLine.fixed(botCpuPercent, 1)) %",
            "own-ship corrections \(StatusLine.fixed(correctionsPerBotPerMin, 2)) per bot per minute alive; "
                + "remote ships: \(remoteFreezes) freezes, \(remoteHolds) holds, \(remoteJumps) jumps in \(remoteSteps) steps",
        ]
        if let firstError { lines.append("first error: \(firstError)") }
        return lines.joined(separator: "\n")
    }
}
