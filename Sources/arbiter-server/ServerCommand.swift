import ArbiterServer
import ArenaServer
import ArgumentParser
import Foundation
import Logging

@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-server",
        abstract: "Runs the Arbiter game server: HTTP, the browser client and the game socket on one port.",
        discussion: """
            Every option can also be set through an environment variable named after it: \
            ARBITER_ followed by the option name in upper case with '-' as '_', e.g. \
            ARBITER_PORT=9000 or ARBITER_SLOW_CLIENT_TIMEOUT=1.5. Flags take true/false (or 1/0). \
            A command-line option wins over its variable. Durations are in seconds.
            """
    )

    @Option(help: "Address to listen on. The default only accepts local connections; use 0.0.0.0 to accept others.")
    var host = defaults.host

    @Option(help: "TCP port for HTTP and the game socket (0 picks a free one).")
    var port = defaults.port

    @Option(help: "Rooms created at start.")
    var rooms = defaults.rooms

    @Option(help: "Most rooms quick-join may create.")
    var maxRooms = defaults.maxRooms

    @Option(help: "Players per room, bots included.")
    var roomCapacity = defaults.roomCapacity

    @Option(help: "Map of every room.")
    var map = defaults.map

    @Option(help: "Simulation ticks per second (\(ArenaHost.tickRates.lowerBound)...\(ArenaHost.tickRates.upperBound)).")
    var tickRate = defaults.tickRate

    @Option(help: "Ticks between two snapshots (\(ArenaHost.snapshotIntervals.lowerBound)...\(ArenaHost.snapshotIntervals.upperBound)); must divide the tick rate.")
    var snapshotInterval = defaults.snapshotInterval

    @Option(help: "Server-side bots that keep the default room busy.")
    var fillBots = defaults.fillBots

    @Option(help: "Seconds a client may stay unwritable (not reading) before it is disconnected.")
    var slowClientTimeout = defaults.slowClientTimeout.seconds

    @Option(help: "Seconds a new connection has to send its hello.")
    var handshakeTimeout = defaults.handshakeTimeout.seconds

    @Option(help: "Seconds a disconnected player keeps its ship and score for a resume.")
    var resumeGrace = defaults.resumeGrace.seconds

    @Option(help: "Seconds shutdown waits for connections to close before it exits anyway.")
    var drainTimeout = defaults.drainTimeout.seconds

    @Flag(help: "Serve the WebSocket echo endpoint at /echo (conformance tests only).")
    var echoEndpoint = false

    @Option(help: "Directory of the browser client served at /.")
    var webRoot = defaults.webRoot

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = defaults.logLevel

    static func main() async {
        do {
            let arguments = try EnvironmentArguments.arguments(
                for: Self(),
                environment: ProcessInfo.processInfo.environment
            ) + CommandLine.arguments.dropFirst()
            await Self.main(arguments)
        } catch {
            Self.exit(withError: error)
        }
    }

    func run() async throws {
        let level = self.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = ServerConfiguration()
        configuration.host = self.host
        configuration.port = self.port
        configuration.rooms = self.rooms
        configuration.maxRooms = self.maxRooms
        configuration.roomCapacity = self.roomCapacity
        configuration.map = self.map
        configuration.tickRate = self.tickRate
        configuration.snapshotInterval = self.snapshotInterval
        configuration.fillBots = self.fillBots
        configuration.slowClientTimeout = .seconds(self.slowClientTimeout)
        configuration.handshakeTimeout = .seconds(self.handshakeTimeout)
        configuration.resumeGrace = .seconds(self.resumeGrace)
        configuration.drainTimeout = .seconds(self.drainTimeout)
        configuration.echoEndpoint = self.echoEndpoint
        configuration.webRoot = self.webRoot
        configuration.logLevel = self.logLevel
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "arbiter")
        logger.logLevel = level
        let (server, _) = try ArenaHost.make(configuration: configuration, logger: logger)
        try await server.runUntilSignalled()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The defaults live in `ServerConfiguration` alone; the options show them.
private let defaults = ServerConfiguration()

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
