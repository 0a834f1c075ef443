import ArbiterBench
import ArgumentParser
import Foundation

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-bench",
        abstract: "Measures Arbiter's bandwidth, capacity and latency (build with -c release).",
        subcommands: [Bandwidth.self, Capacity.self, All.self, Soak.self, Load.self],
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

    @Option(help: "Client of the capacity runs' load process: lean (raw epoll sockets) or nio (full ArbiterSession).")
    var loadClient: LoadGenerator.Client = .lean

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
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
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

    func run() async throws {
        var options = LoadGenerator.Options(port: port, clients: clients)
        options.warmUp = warmUp
        options.window = duration
        options.client = client
        options.seed = seed
        options.fullDecodeEvery = fullDecodeEvery
        options.threads = threads
        options.phasesPerTick = phases
        try await LoadGenerator.run(options)
    }
}

extension LoadGenerator.Client: ExpressibleByArgument {}

/// Progress goes to stderr, so `--json` output stays one clean document.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
