import ArbiterBench
import ArbiterBotKit
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-bench",
        abstract: "Measures Arbiter's bandwidth, capacity and latency (build with -c release).",
        subcommands: [Bandwidth.self, Capacity.self, All.self, Soak.self, Netcode.self, Link.self, Load.self],
        defaultSubcommand: All.self
    )
}

struct CommonOptions: ParsableArguments {
    @Flag(help: "Print one JSON document instead of tables.")
    var json = false

    @Option(help: "Seconds measured per capacity run, after the warm-up.")
    var duration: Double = 10

    @Option(help: "Seconds of warm-up per capacity run, once every client has joined.")
    var warmUp: Double = 3

    @Option(help: "Simulated seconds of the bandwidth scenario.")
    var bandwidthSeconds = 60

    @Option(help: "Capacity runs: client counts, comma-separated (all of 100,250,500,1000,2000 at 60 Hz plus 2000 at 30 Hz by default).")
    var clients: String?

    @Option(help: "Map of the capacity runs.")
    var capacityMap = "expanse"

    @Option(help: "Map of the bandwidth scenario.")
    var bandwidthMap = "duel"

    @Option(help: "Path of the arbiter-server executable (default: next to this one).")
    var server: String?

    @Option(
        name: .customLong("server-arg"), parsing: .unconditionalSingleValue,
        help: "An extra option for the capacity runs' server, once per word (--server-arg --threads --server-arg 1).")
    var serverArguments: [String] = []

    @Option(help: "Client of the capacity runs' load process: lean (raw epoll sockets) or nio (full ArbiterSession).")
    var loadClient: LoadGenerator.Client = .lean

    @Option(help: "When the capacity runs' lean bots send inputs: paced (steered by Snapshot.inputBuffer, Protocol/README.md 5.1) or fixed (one per tick).")
    var inputPacing: LoadGenerator.InputPacing = .paced

    var bandwidthOptions: BandwidthBenchmark.Options {
        var options = BandwidthBenchmark.Options()
        options.seconds = bandwidthSeconds
        options.map = bandwidthMap
        return options
    }

    func capacityOptions() throws -> CapacityBenchmark.Options {
        var options = CapacityBenchmark.Options()
        options.window = duration
        options.warmUp = warmUp
        options.map = capacityMap
        options.loadClient = loadClient
        options.inputPacing = inputPacing
        options.serverArguments = serverArguments
        if let clients {
            let counts = clients.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 && $0 <= 5000 }) else {
                throw ValidationError("--clients takes counts between 1 and 5000, e.g. 100,500")
            }
            options.runs = options.runs.filter { counts.contains($0.clients) }
            for count in counts where !options.runs.contains(where: { $0.clients == count }) {
                options.runs.append(.init(clients: count, hz: 60))
            }
        }
        options.serverPath = server ?? CapacityBenchmark.siblingExecutable("arbiter-server")
        options.benchPath = CapacityBenchmark.siblingExecutable("arbiter-bench")
        return options
    }
}

struct Bandwidth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Snapshot bytes per client: Arbiter against full binary and JSON state.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let result = try BandwidthBenchmark.run(common.bandwidthOptions)
        print(common.json ? Report(bandwidth: result).json() : Report(bandwidth: result).table())
    }
}

struct Capacity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "N bot clients in a child process against a release arbiter-server child.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let runs = try CapacityBenchmark.run(common.capacityOptions(), progress: { progress($0) })
        print(common.json ? Report(runs: runs).json() : Report(runs: runs).table())
    }
}

struct All: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bandwidth, then capacity and latency.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let bandwidth = try BandwidthBenchmark.run(common.bandwidthOptions)
        if !common.json { print(Report(bandwidth: bandwidth).table()) }
        let runs = try CapacityBenchmark.run(common.capacityOptions(), progress: { progress($0) })
        let report = Report(bandwidth: bandwidth, runs: runs)
        print(common.json ? report.json() : Report(runs: runs).table())
    }
}

/// Join-and-drop churn against a release server for a long time; RSS, fds and threads before and after.
struct Soak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Churn (joins that drop) against a release arbiter-server child; reports RSS, fds and threads at start and end.")
    @Option(help: "Seconds of churn.") var duration: Double = 600
    @Option(help: "New joins per second, each dropped right after its Welcome.") var joinsPerSecond: Double = 10
    @Option(help: "Players that stay in throughout.") var steadyPlayers = 8
    @Option(help: "Path of the arbiter-server executable (default: next to this one).") var server: String?
    @Flag(help: "Print one JSON document.") var json = false

    func run() async throws {
        var options = SoakBenchmark.Options()
        options.serverPath = server ?? CapacityBenchmark.siblingExecutable("arbiter-server")
        options.seconds = duration
        options.joinsPerSecond = joinsPerSecond
        options.steadyPlayers = steadyPlayers
        let result = try await SoakBenchmark.run(options, progress: { progress($0) })
        if json {
            print(result.json())
        } else {
            print("soak: \(Int(result.seconds)) s, \(result.joinsWelcomed) of \(result.joinsAttempted) joins welcomed")
            print("  start: \(result.start)")
            print("  end:   \(result.end)")
        }
    }
}

/// The client side of a capacity run, in its own process so its CPU is not the server's.
struct Load: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(internal) Runs the bot clients of one capacity run.", shouldDisplay: false)
    @Option var port: Int
    @Option var clients: Int
    @Option var warmUp: Double = 3
    @Option var duration: Double = 10
    @Option(help: "lean (raw epoll sockets, Snapshot headers only) or nio (full ArbiterSession per bot).")
    var client: LoadGenerator.Client = .lean
    @Option(help: "Seed of the lean bots' wandering.")
    var seed: UInt64 = 1
    @Option(help: "Every K-th lean bot decodes every message with the generated codec (0: none).")
    var fullDecodeEvery = 50
    @Option(help: "Lean client threads (default: one).")
    var threads: Int?
    @Option(help: "Lean client: phases per tick, each sending a share of the bots' inputs.")
    var phases = 4
    @Option(help: "Lean client: paced (steered by Snapshot.inputBuffer) or fixed (one input per tick).")
    var inputPacing: LoadGenerator.InputPacing = .paced

    func run() async throws {
        var options = LoadGenerator.Options(port: port, clients: clients)
        options.warmUp = warmUp
        options.window = duration
        options.client = client
        options.seed = seed
        options.fullDecodeEvery = fullDecodeEvery
        options.threads = threads
        options.phasesPerTick = phases
        options.inputPacing = inputPacing
        try await LoadGenerator.run(options)
    }
}

extension LoadGenerator.Client: ExpressibleByArgument {}
extension LoadGenerator.InputPacing: ExpressibleByArgument {}
extension LinkProfile.Name: ExpressibleByArgument {}

/// The emulated link: a named profile, any of whose numbers can be overridden.
struct LinkOptions: ParsableArguments {
    @Option(help: "clean (loopback as is), wan150 (150 ms RTT, σ 20 ms jitter, 1 % loss each way) or outage (wan150 plus a 2 s outage 10 s in).")
    var profile: LinkProfile.Name = .wan150

    @Option(help: "Round-trip time in ms (each direction delays by half).")
    var rttMs: Double?

    @Option(help: "Standard deviation of each direction's one-way delay, ms.")
    var jitterMs: Double?

    @Option(help: "Chance a TCP segment is lost, per direction, in percent (the stream stalls until it is retransmitted).")
    var lossPercent: Double?

    @Option(help: "How long a lost segment with nothing behind it holds the stream, ms.")
    var rtoMs: Double?

    @Option(help: "Seconds after the start when both directions stop (an outage).")
    var outageAt: Double?

    @Option(help: "How long the outage lasts, seconds.")
    var outageSeconds: Double?

    @Option(help: "Seed of the delays and losses: the same seed and traffic repeat a run.")
    var seed: UInt64 = 1

    var linkProfile: LinkProfile {
        var link = LinkProfile.named(profile)
        if let rttMs { link.rttMs = rttMs }
        if let jitterMs { link.jitterMs = jitterMs }
        if let lossPercent { link.lossPercent = lossPercent }
        if let rtoMs { link.rtoMs = rtoMs }
        if let outageAt { link.outageAtSeconds = outageAt }
        if let outageSeconds { link.outageSeconds = outageSeconds }
        return link
    }

    func validate() throws {
        for (name, value) in [("--rtt-ms", rttMs), ("--jitter-ms", jitterMs), ("--rto-ms", rtoMs), ("--outage-at", outageAt), ("--outage-seconds", outageSeconds)] {
            if let value, !(value >= 0) { throw ValidationError("\(name) must be 0 or more") }
        }
        if let lossPercent, !(0...100).contains(lossPercent) { throw ValidationError("--loss-percent must be within 0...100") }
    }
}

/// Swift bots through the link conditioner against a release server: what a player notices.
struct Netcode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "N Swift bots play through the link conditioner against a release arbiter-server: corrections, freezes, holds, jumps, latency.",
        discussion: """
            Build first: swift build -c release --product arbiter-server --product arbiter-bench
            With --check it exits 1 when a target is missed (for CI):
              arbiter-bench netcode --profile wan150 --duration 15 --check
            """)

    @OptionGroup var link: LinkOptions

    @Option(help: "Bots through the link.")
    var bots = 20

    @Option(help: "Seconds the bots play.")
    var duration: Double = 20

    @Option(help: "Map of the room (expanse: room to move freely, so corrections come from the link, not from ships pushing each other).")
    var map = "expanse"

    @Option(help: "idle, wander, fight or mixed.")
    var behavior = "wander"

    @Option(help: "Server tick rate.")
    var tickRate = 60

    @Option(help: "Server snapshot interval, in ticks.")
    var snapshotInterval = 2

    @Option(help: "Path of the arbiter-server executable (default: next to this one).")
    var server: String?

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Flag(help: "Exit 1 when a threshold below is exceeded.")
    var check = false

    @Option(help: "--check: most own-ship corrections per bot per minute alive.")
    var maxCorrectionsPerMin = 10.0

    @Option(help: "--check: most own-ship corrections in free movement (no other ship near) per bot per minute alive (default: not checked).")
    var maxFreeCorrectionsPerMin: Double?

    @Option(help: "--check: most remote-ship freezes (a late snapshot while the ship moved; default: not checked).")
    var maxFreezes: Int?

    @Option(help: "--check: most remote-ship holds (stopped dead between moving; default: not checked).")
    var maxHolds: Int?

    @Option(help: "--check: most remote-ship jumps (> 1.5 × max speed per tick; default: not checked).")
    var maxJumps: Int?

    @Option(help: "--check: highest input→ack p99 in ms (the issue's target: RTT + 3 ticks + 2σ jitter; default: not checked).")
    var maxAckP99Ms: Double?

    @Option(help: "--check: after an outage, own and remote ships smooth again within this many ms (default: not checked).")
    var maxRecoveryMs: Double?

    func validate() throws {
        guard (1...500).contains(bots) else { throw ValidationError("--bots must be within 1...500") }
        guard duration > 0 && duration <= 600 else { throw ValidationError("--duration must be within 0...600 s") }
        guard FleetConfiguration.Behavior(rawValue: behavior) != nil else { throw ValidationError("--behavior must be idle, wander, fight or mixed") }
    }

    func run() async throws {
        var options = NetcodeBenchmark.Options()
        options.profileName = link.profile
        options.profile = link.linkProfile
        options.seed = link.seed
        options.bots = bots
        options.duration = duration
        options.map = map
        options.behavior = FleetConfiguration.Behavior(rawValue: behavior)!
        options.tickRate = tickRate
        options.snapshotInterval = snapshotInterval
        options.serverPath = server ?? CapacityBenchmark.siblingExecutable("arbiter-server")
        let result = try await NetcodeBenchmark.run(options, progress: { progress($0) })
        print(json ? result.json() : result.table())
        guard check else { return }
        var thresholds = NetcodeResult.Thresholds()
        thresholds.correctionsPerBotPerMin = maxCorrectionsPerMin
        thresholds.freeCorrectionsPerBotPerMin = maxFreeCorrectionsPerMin
        thresholds.remoteFreezes = maxFreezes
        thresholds.remoteHolds = maxHolds
        thresholds.remoteJumps = maxJumps
        thresholds.inputAckP99Ms = maxAckP99Ms
        thresholds.recoveryMs = maxRecoveryMs
        let failures = result.failures(against: thresholds)
        for failure in failures { progress("MISSED \(failure)") }
        if failures.isEmpty { progress("netcode check passed") } else { throw ExitCode(1) }
    }
}

/// A TCP proxy with the emulated link, for a browser or any client in front of a server.
struct Link: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A link conditioner: a TCP proxy that adds delay, jitter, loss stalls and outages.",
        discussion: """
            Play in a browser over a bad link:
              arbiter-server --port 8080 &
              arbiter-bench link --listen 127.0.0.1:8081 --upstream 127.0.0.1:8080 --profile wan150
            then open the printed address.
            """)

    @Option(help: "HOST:PORT to listen on.")
    var listen = "127.0.0.1:8081"

    @Option(help: "HOST:PORT of the server behind the link.")
    var upstream = "127.0.0.1:8080"

    @Option(help: "Seconds to run (default: until Ctrl-C).")
    var duration: Double?

    @OptionGroup var link: LinkOptions

    func run() async throws {
        let (listenHost, listenPort) = try Self.hostPort(listen, option: "--listen")
        let (upstreamHost, upstreamPort) = try Self.hostPort(upstream, option: "--upstream")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let conditioner = try await LinkConditioner.start(
            host: listenHost, port: listenPort, upstream: try SocketAddress.makeAddressResolvingHost(upstreamHost, port: upstreamPort),
            profile: link.linkProfile, seed: link.seed, group: group)
        print("link conditioner: \(link.linkProfile.summary)")
        print("open http://\(listenHost):\(conditioner.port)/ (forwards to \(upstream))")
        fflush(nil)
        let end = duration.map { Date(timeIntervalSinceNow: $0) } ?? .distantFuture
        while Date() < end { try await Task.sleep(for: .milliseconds(200)) }
        await conditioner.stop()
        try await group.shutdownGracefully()
    }

    static func hostPort(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(option) takes HOST:PORT, e.g. 127.0.0.1:8081")
        }
        return (String(text[..<colon]), port)
    }
}

/// Progress goes to stderr, so `--json` output stays one clean document.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
