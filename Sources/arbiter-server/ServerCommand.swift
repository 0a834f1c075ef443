import ArbiterServer
import ArbiterSettings
import ArenaServer
import ArgumentParser
import Foundation  // ProcessInfo for the ARBITER_* variables
import Logging
import NIOPosix  // MultiThreadedEventLoopGroup for --threads

@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-server",
        abstract: "Runs the Arbiter game server: HTTP, the browser client and the game socket on one port.",
        usage: """
            arbiter-server [--config FILE] [--SETTING VALUE ...]
            arbiter-server deploy dockerfile|fleet|autoscaler|service [--image IMAGE] [--SETTING VALUE ...]
            arbiter-server ticket --secret SECRET --name NAME
            """,
        discussion: """
            SIGTERM or SIGINT drains (a second one ends the drain at once). \
            `arbiter-server deploy --help` prints a Dockerfile and Kubernetes/Agones manifests.

            \(ServerSettings.help)
            """,
        version: BuildInfo.version
    )

    /// The settings, handed whole to `ServerSettings`. ArgumentParser keeps `--help`, `--version`
    /// and the subcommands; it declares options one property at a time and cannot take them from
    /// the settings table, so the table (ArbiterSettings) parses the command line as one of its
    /// swift-configuration sources and renders the settings part of `--help`. Each setting is
    /// declared once, there. (swift-configuration's own CommandLineArgumentsProvider would accept a
    /// misspelt flag without a word and splits every value at commas.)
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

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
        await Self.main(nil)
    }

    func run() async throws {
        let settings = try self.settings(environment: ProcessInfo.processInfo.environment)
        let configuration = settings.configuration
        LoggingSystem.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        var logger = Logger(label: "arbiter")
        logger.logLevel = configuration.logLevel
        // Where each setting came from, for the operator who wonders which source won; the
        // secrets are marked secret and print redacted.
        logger.info("settings", metadata: ["given": "\(settings.given.isEmpty ? "none (defaults)" : settings.description)"])
        let group = configuration.eventLoopThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? .singleton
        let (server, _) = try ArenaHost.make(configuration: configuration, eventLoopGroup: group, logger: logger)
        try await server.runUntilSignalled()
    }

    /// The settings from the command line, `environment` and the config file, validated. A
    /// `SettingsError` prints as one line (ArgumentParser adds usage only to its own errors).
    func settings(environment: [String: String]) throws -> ResolvedSettings {
        try ServerSettings.load(arguments: self.settings, environment: environment)
    }
}
