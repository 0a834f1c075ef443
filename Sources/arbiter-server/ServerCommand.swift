import ArbiterServer
import ArgumentParser
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
    var host = "127.0.0.1"

    @Option(help: "TCP port for HTTP and the game socket (0 picks a free one).")
    var port = 8080

    @Option(help: "Rooms created at start.")
    var rooms = 1

    @Option(help: "Most rooms quick-join may create.")
    var maxRooms = 8

    @Option(help: "Players per room, bots included.")
    var roomCapacity = 16

    @Option(help: "Map of every room.")
    var map = "arena"

    @Option(help: "Simulation ticks per second (10...128).")
    var tickRate = 60

    @Option(help: "Ticks between two snapshots; must divide the tick rate.")
    var snapshotInterval = 2

    @Option(help: "Server-side bots that keep the default room busy.")
    var fillBots = 3

    @Option(help: "Seconds a client may stay unwritable (not reading) before it is disconnected.")
    var slowClientTimeout = 2.0

    @Option(help: "Seconds a new connection has to send its hello.")
    var handshakeTimeout = 5.0

    @Option(help: "Seconds a disconnected player keeps its ship and score for a resume.")
    var resumeGrace = 10.0

    @Option(help: "Seconds shutdown waits for connections to close before it exits anyway.")
    var drainTimeout = 5.0

    @Flag(help: "Serve the WebSocket echo endpoint at /echo (conformance tests only).")
    var echoEndpoint = false

    @Option(help: "Directory of the browser client served at /.")
    var webRoot = "Clients/web"

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = Logger.Level.info

    static func main() async {
        do {
            let arguments = try EnvironmentArguments.arguments(
                for: Self(),
                environment: ProcessInfoEnvironment.current
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
        // The Arena game (rooms, sessions, /play) is plugged in here by the game layer.
        let server = ArbiterServer(configuration: configuration, play: nil, logger: logger)
        try await server.runUntilSignalled()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
