import ArbiterBotKit
import ArbiterClient
import ArgumentParser
import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-bot",
        abstract: "Bots that play Arena over the real protocol: opponents, load tests, a terminal view.",
        discussion: """
            Opponents in the default room:   arbiter-bot --bots 3
            A load test, summary on stdout:  arbiter-bot --bots 500 --duration 30 --json
            1,000 bots (16 a room, so start the server with --max-rooms 70 or more):
                                             arbiter-bot --bots 1000 --ramp 200 --duration 20 --json
            Watch one bot play (q quits):    arbiter-bot --view
            Over TLS (https:// or wss://):   arbiter-bot --server https://game.example:8443
            A self-signed dev server:        arbiter-bot --server https://localhost:8443 --insecure
            Exit status 1 after any protocol error, unexpected disconnect or failed connect; \
            when no bot can connect at all it stops within a second or two, --duration or not.
            """
    )

    @Option(help: "The server's address as opened in a browser; the game socket is found from it.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "The game socket directly (ws:// or wss://HOST:PORT/play?room=ID), instead of --server.")
    var url: String?

    @Flag(help: "wss:// without checking the server's certificate (a development server with a self-signed one). Encrypts, but anyone on the path could pose as the server.")
    var insecure = false

    @Option(help: "PEM certificates to trust for wss:// instead of the system's (a private authority, a self-signed server).")
    var caFile: String?

    @Option(help: "How many bots (default: 1).")
    var bots: Int?

    @Option(help: "Room to join (default: the server's quick-join).")
    var room: String?

    @Option(help: "Seconds to run (default: until Ctrl-C, or q in the view).")
    var duration: Double?

    @Option(help: "New connections per second (0: all at once).")
    var ramp: Double = 100

    @Option(help: "idle, wander, fight or mixed.")
    var behavior: String = "fight"

    @Option(help: "Seed of the bots' decisions.")
    var seed: UInt64 = 1

    @Option(help: "Bot names are PREFIX-1, PREFIX-2, ...")
    var name = FleetConfiguration.defaultNamePrefix

    @Option(help: "Threads (default: lean 1, nio one event loop per core).")
    var threads: Int?

    // Lean by default: every bot still decodes and plays, on raw sockets; 1,000 bots take half a
    // core (Tests/Benchmarks/RESULTS.md). nio keeps what only ArbiterSession has (resume, view, TLS).
    @Option(help: "lean (raw sockets and epoll; the default on Linux) or nio (SwiftNIO sessions; what --view, --reconnect and wss:// use).")
    var transport: String?

    @Flag(help: "Come back as the same player after a drop (drops still count as errors).")
    var reconnect = false

    @Flag(help: "Print one JSON summary on stdout at the end.")
    var json = false

    @Flag(help: "Full-screen view of the first bot's world (q quits).")
    var view = false

    func validate() throws {
        if let bots, bots < 1 { throw ValidationError("--bots must be at least 1") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if FleetConfiguration.Behavior(rawValue: behavior) == nil {
            throw ValidationError("--behavior must be idle, wander, fight or mixed")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if insecure, caFile != nil { throw ValidationError("give --insecure or --ca-file, not both") }
        if let transport, transport != "lean" && transport != "nio" { throw ValidationError("--transport must be lean or nio") }
        if transport == "lean" && (view || reconnect) { throw ValidationError("--view and --reconnect need --transport nio") }
        if transport == "lean" && wantsTLS { throw ValidationError("wss:// needs --transport nio (the lean transport has no TLS)") }
    }

    /// Whether the address asks for TLS (https:// or wss://).
    var wantsTLS: Bool {
        let address = (url ?? server).lowercased()
        return address.hasPrefix("https://") || address.hasPrefix("wss://")
    }

    /// Lean unless asked otherwise, the view, resuming or TLS needs NIO, or this is not Linux.
    var usesLeanTransport: Bool {
        #if canImport(Glibc)
        (transport ?? (view || reconnect || wantsTLS ? "nio" : "lean")) == "lean"
        #else
        false
        #endif
    }

    func run() async throws {
        let socket: WebSocketURL
        do {
            socket = try url.map { try WebSocketURL.gameSocket(forServerAddress: $0, room: room) }
                ?? WebSocketURL.gameSocket(forServerAddress: server, room: room)
        } catch {
            throw ValidationError("\(error)")
        }
        var configuration = FleetConfiguration(url: socket, bots: bots ?? 1)
        configuration.ramp = ramp
        configuration.behavior = FleetConfiguration.Behavior(rawValue: behavior)!
        configuration.seed = seed
        configuration.namePrefix = name
        configuration.reconnect = reconnect || view
        if socket.isSecure {
            do {
                configuration.transport.tls = try insecure ? .insecure() : .verifying(caFile: caFile)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if view { configuration.watchedBot = 0 }

        let openFiles = ProcessLimits.raiseOpenFiles()
        if openFiles < configuration.bots + 32 {
            Terminal(output: STDERR_FILENO).write("warning: open file limit \(openFiles) is below \(configuration.bots) bots\n")
        }
        let fleet: any FleetDriver
        var group: MultiThreadedEventLoopGroup?
        var nioFleet: BotFleet?
        if usesLeanTransport {
            #if canImport(Glibc)
            do { fleet = try LeanFleet(configuration: configuration, threads: threads ?? 1) } catch { throw ValidationError("\(error)") }
            #else
            preconditionFailure("the lean transport is Linux only")
            #endif
        } else {
            let loops = MultiThreadedEventLoopGroup(numberOfThreads: threads ?? System.coreCount)
            group = loops
            nioFleet = BotFleet(configuration: configuration, group: loops)
            fleet = nioFleet!
        }
        let finished = Finish()
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { finished.fire() }
            source.resume()
            return source
        }
        var viewer: BotViewer?
        if view {
            guard Terminal.isTerminal(STDOUT_FILENO) && Terminal.isTerminal(STDIN_FILENO) else {
                throw ValidationError("--view needs a terminal")
            }
            viewer = nioFleet.map { BotViewer(fleet: $0) }
            viewer?.start { finished.fire() }
        }

        let start = await fleet.sample()
        try fleet.start()
        let showStatus = !view && Terminal.isTerminal(STDERR_FILENO)
        let deadline = duration.map { NIODeadline.now() + .nanoseconds(Int64($0 * 1e9)) }
        var previous = start
        var nextStatus = NIODeadline.now() + .seconds(1)
        while !finished.isFired {
            if let deadline, NIODeadline.now() >= deadline { break }
            try? await Task.sleep(for: .milliseconds(50))
            if NIODeadline.now() >= nextStatus {
                nextStatus = nextStatus + .seconds(1)
                let current = await fleet.sample()
                if current.nobodyCanConnect(bots: configuration.bots) { break }
                if showStatus {
                    let line = StatusLine.format(previous: previous, current: current, bots: configuration.bots)
                    Terminal(output: STDERR_FILENO).write("\r\u{1B}[K" + line)
                }
                previous = current
            }
        }
        await fleet.stop()
        viewer?.stop()
        if showStatus { Terminal(output: STDERR_FILENO).write("\n") }
        let end = await fleet.sample()
        let summary = FleetSummary(bots: configuration.bots, start: start, end: end)
        if json {
            print(summary.json())
        } else if !view || summary.failed {
            Terminal(output: STDERR_FILENO).write(summary.humanReadable + "\n")
        }
        signals.forEach { $0.cancel() }
        try? await group?.shutdownGracefully()
        if summary.failed { throw ExitCode(1) }
    }
}

/// Set once by a signal, `q`, or nothing; read by the run loop.
final class Finish: Sendable {
    private let fired = NIOLockedValueBox(false)
    func fire() { fired.withLockedValue { $0 = true } }
    var isFired: Bool { fired.withLockedValue { $0 } }
}
