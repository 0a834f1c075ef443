import ArbiterBotKit
import ArbiterClient
import Foundation
import NIOCore
import NIOPosix

/// How Arena plays over a real link: a release `arbiter-server` child, the link conditioner
/// in this process in front of it, and N Swift bots (full `ArbiterSession`s that predict their
/// own ship) playing through the conditioner. It reports what a player would notice: own-ship
/// corrections, input→ack latency, remote-ship freezes, holds and jumps, snapshot gaps, the server's
/// input counters, and after an outage how long until ships move smoothly again.
public enum NetcodeBenchmark {
    public struct Options: Sendable {
        public var profileName = LinkProfile.Name.wan150
        public var profile = LinkProfile.wan150
        public var seed: UInt64 = 1
        public var bots = 20
        public var duration = 20.0
        public var map = "expanse"
        public var behavior = FleetConfiguration.Behavior.wander
        public var tickRate = 60
        public var snapshotInterval = 2
        public var serverPath = ""
        public init() {}
    }

    public static func run(_ options: Options, progress: ((String) -> Void)?) async throws -> NetcodeResult {
        let (server, serverPort) = try ChildProcess.startServer(
            executable: options.serverPath,
            arguments: [
                "--rooms", "1", "--max-rooms", "1", "--fill-bots", "0", "--room-capacity", "\(options.bots + 4)",
                "--tick-rate", "\(options.tickRate)", "--snapshot-interval", "\(options.snapshotInterval)", "--map", options.map,
            ])
        defer { server.stop() }
        let linkGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let botGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let link = try await LinkConditioner.start(
            upstream: try SocketAddress(ipAddress: "127.0.0.1", port: serverPort), profile: options.profile, seed: options.seed,
            group: linkGroup)
        progress?("netcode: \(options.bots) bots through the link (\(options.profile.summary)) for \(f(options.duration, 0)) s ...")

        var configuration = FleetConfiguration(url: try WebSocketURL("ws://127.0.0.1:\(link.port)/play"), bots: options.bots)
        configuration.behavior = options.behavior
        configuration.seed = options.seed
        configuration.reconnect = true
        configuration.ramp = 0
        // Room for 10 s of inputs, so an outage's are timed rather than given up.
        configuration.pendingInputWindow = options.tickRate * 10
        let fleet = BotFleet(configuration: configuration, group: botGroup)
        let start = await fleet.sample()
        try fleet.start()
        try await Task.sleep(for: .milliseconds(Int(options.duration * 1000)))
        let metricsText = HTTPGet.body(port: serverPort, path: "/metrics") ?? ""
        await fleet.stop()
        let end = await fleet.sample()
        await link.stop()
        // The proxy's directions count themselves once their held bytes are out.
        try await Task.sleep(for: .milliseconds(Int(options.profile.rttMs + options.profile.rtoMs) + 300))
        try? await botGroup.shutdownGracefully()
        try? await linkGroup.shutdownGracefully()

        let summary = FleetSummary(bots: options.bots, start: start, end: end)
        var recovery: NetcodeRecovery?
        if let outage = options.profile.outageNanoseconds, let timeline = end.timeline {
            let base = link.epoch.uptimeNanoseconds
            recovery = NetcodeRecovery(
                timeline: timeline,
                outage: (base + UInt64(outage.lowerBound))..<(base + UInt64(outage.upperBound)))
        }
        var counters: [String: Double] = [:]
        for name in NetcodeResult.serverCounterNames {
            if let value = PrometheusCounters.sum(name, in: metricsText) { counters[name] = value }
        }
        let statistics = link.statistics
        return NetcodeResult(
            profile: options.profileName.rawValue, link: options.profile.summary, seed: options.seed, bots: options.bots,
            seconds: summary.seconds, map: options.map, behavior: options.behavior.rawValue,
            tickRate: options.tickRate, snapshotInterval: options.snapshotInterval,
            connected: summary.connected, aliveSeconds: summary.aliveSeconds,
            ownCorrections: summary.ownCorrections, correctionsPerBotPerMin: summary.correctionsPerBotPerMin,
            ownCorrectionsInContact: summary.ownCorrectionsInContact, freeCorrectionsPerBotPerMin: summary.freeCorrectionsPerBotPerMin,
            inputAckP50Ms: summary.inputAckMs.p50, inputAckP99Ms: summary.inputAckMs.p99, inputAckMaxMs: summary.inputAckMs.max,
            snapshotGapP50Ms: summary.snapshotGapMs.p50, snapshotGapP99Ms: summary.snapshotGapMs.p99,
            snapshotGapMaxMs: summary.snapshotGapMs.max,
            remoteFreezes: summary.remoteFreezes, remoteHolds: summary.remoteHolds, remoteJumps: summary.remoteJumps, remoteSteps: summary.remoteSteps,
            ownRecoveryMs: recovery.map { $0.ownMs ?? .nan }, remoteRecoveryMs: recovery.map { $0.remoteMs ?? .nan },
            serverCounters: counters, segmentsLost: statistics.segmentsLost, fastRetransmits: statistics.fastRetransmits,
            disconnects: summary.disconnects.values.reduce(0, +), protocolErrors: summary.protocolErrors,
            loadAverage: ProcStats.loadAverage())
    }
}
