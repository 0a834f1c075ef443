import ArbiterServer
import ArenaServer
import ArgumentParser
import Foundation  // FileManager for --join-secret-file
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
            A command-line option wins over its variable. Durations are in seconds. \
            SIGTERM or SIGINT drains (a second one ends the drain at once). \
            `arbiter-server deploy --help` prints a Dockerfile and Kubernetes/Agones manifests.
            """,
        version: BuildInfo.version
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

    @Option(help: "Seconds from accept to the end of the first request, and from head to end of each later one; slower clients are closed.")
    var requestTimeout = defaults.requestTimeout.seconds

    @Option(help: "Seconds a keep-alive HTTP connection may wait for the head of its next request.")
    var idleTimeout = defaults.idleTimeout.seconds

    @Option(help: "Most open connections (also bounded by the open-files limit); at the cap, idle ones make room.")
    var maxConnections = defaults.maxConnections

    @Option(help: "Most open connections from one IP address.")
    var maxConnectionsPerAddress = defaults.maxConnectionsPerAddress

    @Option(
        help: """
            Comma-separated origins (https://game.example) whose pages may open the game socket. \
            Default: same origin only. Clients that send no Origin (bots) are always allowed.
            """
    )
    var allowedOrigins = defaults.allowedOrigins.joined(separator: ",")

    @Option(help: "Seconds a disconnected player keeps its ship and score for a resume.")
    var resumeGrace = defaults.resumeGrace.seconds

    @Option(help: "Accept only joins with a ticket signed with this secret (HMAC-SHA256, at least 16 bytes; see `arbiter-server ticket`).")
    var joinSecret: String?

    @Option(help: "Read the join secret from this file (one trailing newline is dropped).")
    var joinSecretFile: String?

    @Option(help: "Seconds a draining server (SIGTERM, POST /admin/drain) lets running matches go on before it closes them.")
    var drainTimeout = defaults.drainTimeout.seconds

    @Option(help: "Seconds a room quick-join created may stand empty before it stops.")
    var roomIdleTimeout = defaults.roomIdleTimeout.seconds

    @Option(help: "Bearer token that enables POST /admin/drain (16 characters or more; prefer ARBITER_ADMIN_TOKEN).")
    var adminToken: String?

    @Flag(help: "Run under Agones: tell the SDK sidecar (localhost:$AGONES_SDK_HTTP_PORT) Ready, Health and Shutdown.")
    var agones = false

    @Flag(help: "Serve the WebSocket echo endpoint at /echo (conformance tests only).")
    var echoEndpoint = false

    @Option(help: "PEM certificate (chain allowed, server certificate first): with --tls-key, HTTPS and WSS on the one port.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Browser client served at /: auto (arbiter-web/ beside the executable, else the source tree), a directory, or none.")
    var webRoot = defaults.webRoot.description

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = defaults.logLevel

    @Option(help: "Log format: text, or json (one object per line).")
    var logFormat = defaults.logFormat

    static func main() async {
        // `arbiter-server deploy KIND ...` prints files; anything but a subcommand runs the server.
        if CommandLine.arguments.dropFirst().first == "deploy" {
            DeployCommand.main(Array(CommandLine.arguments.dropFirst(2)))
            return
        }
        // `arbiter-server ticket ...` mints a join ticket; it takes no server options.
        if CommandLine.arguments.dropFirst().first == "ticket" {
            TicketCommand.main(Array(CommandLine.arguments.dropFirst(2)))
            return
        }
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
        LoggingSystem.bootstrap(format: self.logFormat, level: self.logLevel)
        let configuration = try self.configuration()
        var logger = Logger(label: "arbiter")
        logger.logLevel = self.logLevel
        let (server, _) = try ArenaHost.make(configuration: configuration, logger: logger)
        try await server.runUntilSignalled()
    }

    /// The settings from the options, validated.
    func configuration() throws -> ServerConfiguration {
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
        configuration.requestTimeout = .seconds(self.requestTimeout)
        configuration.idleTimeout = .seconds(self.idleTimeout)
        configuration.maxConnections = self.maxConnections
        configuration.maxConnectionsPerAddress = self.maxConnectionsPerAddress
        configuration.allowedOrigins = self.allowedOrigins.split(separator: ",").map { String($0.filter { $0 != " " }) }
        configuration.resumeGrace = .seconds(self.resumeGrace)
        configuration.drainTimeout = .seconds(self.drainTimeout)
        configuration.roomIdleTimeout = .seconds(self.roomIdleTimeout)
        configuration.adminToken = self.adminToken
        configuration.agonesSDKPort = self.agones ? AgonesSDKClient.port(environment: ProcessInfo.processInfo.environment) : nil
        configuration.echoEndpoint = self.echoEndpoint
        configuration.tlsCertificateFile = self.tlsCert
        configuration.tlsKeyFile = self.tlsKey
        configuration.webRoot = WebRoot(argument: self.webRoot)
        configuration.logLevel = self.logLevel
        configuration.logFormat = self.logFormat
        configuration.joinSecret = try self.loadJoinSecret()
        do {
            try ArenaHost.validate(configuration)
        } catch {
            throw ValidationError(String(describing: error))
        }
        return configuration
    }
}

extension ServerCommand {
    /// `--join-secret` or the contents of `--join-secret-file` (not both), as bytes.
    func loadJoinSecret() throws -> [UInt8]? {
        switch (self.joinSecret, self.joinSecretFile) {
        case (nil, nil):
            return nil
        case (let secret?, nil):
            return Array(secret.utf8)
        case (nil, let path?):
            guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
                throw ValidationError("cannot read --join-secret-file \(path)")
            }
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            return bytes
        case (_?, _?):
            throw ValidationError("give --join-secret or --join-secret-file, not both")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

/// The defaults live in `ServerConfiguration` alone; the options show them.
private let defaults = ServerConfiguration()

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
