import ArbiterServer
import ArenaServer
import Configuration
import Foundation  // FileManager for joinSecretFile

/// Every setting of `arbiter-server`, each declared once, in the order `--help` lists them.
/// A new setting is one line here (its default stays in `ServerConfiguration`): the flag, the
/// `ARBITER_*` variable, the config-file key, the help and the errors all follow from it.
public enum ServerSettings {
    public static var all: [Setting] {
        [
            .text("host", \.host, help: "Address to listen on. The default only accepts local connections; use 0.0.0.0 to accept others."),
            .integer("port", \.port, help: "TCP port for HTTP and the game socket (0 picks a free one)."),
            .integer("rooms", \.rooms, help: "Rooms created at start."),
            .integer("maxRooms", \.maxRooms, help: "Most rooms quick-join may create."),
            .integer("roomCapacity", \.roomCapacity, help: "Players per room, bots included."),
            .text("map", \.map, help: "Map of every room."),
            .integer("tickRate", \.tickRate,
                     help: "Simulation ticks per second (\(ArenaHost.tickRates.lowerBound)...\(ArenaHost.tickRates.upperBound))."),
            .integer("snapshotInterval", \.snapshotInterval,
                     help: "Ticks between two snapshots (\(ArenaHost.snapshotIntervals.lowerBound)...\(ArenaHost.snapshotIntervals.upperBound)); must divide the tick rate."),
            .integer("fillBots", \.fillBots, help: "Server-side bots that keep the default room busy."),
            .choice("tickPriority", \.tickPriority,
                    help: "Scheduling of the room threads: realtime (SCHED_FIFO), nice (-10) or normal; falls back when not permitted."),
            .optionalInteger("threads", \.eventLoopThreads, help: "Event loop threads for the sockets (default: one per core)."),
            .seconds("slowClientTimeout", \.slowClientTimeout,
                     help: "Seconds a client may stay unwritable (not reading) before it is disconnected."),
            .seconds("handshakeTimeout", \.handshakeTimeout, help: "Seconds a new connection has to send its hello."),
            .seconds("requestTimeout", \.requestTimeout,
                     help: "Seconds from accept to the end of the first request, and from head to end of each later one; slower clients are closed."),
            .seconds("idleTimeout", \.idleTimeout, help: "Seconds a keep-alive HTTP connection may wait for the head of its next request."),
            .integer("maxConnections", \.maxConnections,
                     help: "Most open connections (also bounded by the open-files limit); at the cap, idle ones make room."),
            .integer("maxConnectionsPerAddress", \.maxConnectionsPerAddress, help: "Most open connections from one IP address."),
            .list("allowedOrigins", \.allowedOrigins,
                  help: "Origins (https://game.example) whose pages may open the game socket. Default: same origin only. Clients that send no Origin (bots) are always allowed."),
            .seconds("resumeGrace", \.resumeGrace, help: "Seconds a disconnected player keeps its ship and score for a resume."),
            .custom("joinSecret", type: .string, valueName: "text", secret: true,
                    help: "Accept only joins with a ticket signed with this secret (HMAC-SHA256, at least 16 bytes; see `arbiter-server ticket`). Prefer the variable or joinSecretFile: a flag shows in ps.",
                    default: { _ in nil },
                    apply: { content, configuration, _ throws(SettingValueError) in configuration.joinSecret = Array(try content.text().utf8) }),
            .custom("joinSecretFile", type: .string, valueName: "path",
                    help: "Read the join secret from this file (one trailing newline is dropped).",
                    default: { _ in nil },
                    apply: { content, configuration, _ throws(SettingValueError) in
                        // Settings apply in this table's order, so joinSecret is already in.
                        guard configuration.joinSecret == nil else {
                            throw SettingValueError("give joinSecret or joinSecretFile, not both")
                        }
                        configuration.joinSecret = try readSecret(path: try content.text())
                    }),
            .seconds("drainTimeout", \.drainTimeout,
                     help: "Seconds a draining server (SIGTERM, POST /admin/drain) lets running matches go on before it closes them."),
            .seconds("roomIdleTimeout", \.roomIdleTimeout, help: "Seconds a room quick-join created may stand empty before it stops."),
            .optionalText("adminToken", \.adminToken, secret: true,
                          help: "Bearer token that enables POST /admin/drain (16 characters or more; prefer the variable)."),
            .custom("agones", type: .bool, valueName: "true|false",
                    help: "Run under Agones (on by itself when AGONES_SDK_HTTP_PORT is set): tell the SDK sidecar Ready, Health, seats and players, Shutdown.",
                    default: { "\($0.agonesSDKPort != nil)" },
                    apply: { content, configuration, context throws(SettingValueError) in
                        configuration.agonesSDKPort = try content.flag() ? AgonesSDKClient.port(environment: context.environment) : nil
                    }),
            .flag("echoEndpoint", \.echoEndpoint, help: "Serve the WebSocket echo endpoint at /echo (conformance tests only)."),
            .optionalText("tlsCert", \.tlsCertificateFile,
                          help: "PEM certificate (chain allowed, server certificate first): with tlsKey, HTTPS and WSS on the one port."),
            .optionalText("tlsKey", \.tlsKeyFile, help: "PEM private key of tlsCert."),
            .custom("webRoot", type: .string, valueName: "path",
                    help: "Browser client served at /: auto (arbiter-web/ beside the executable, else the source tree), a directory, or none.",
                    default: { $0.webRoot.description },
                    apply: { content, configuration, _ throws(SettingValueError) in configuration.webRoot = WebRoot(argument: try content.text()) }),
            .choice("logLevel", \.logLevel, help: "Log level."),
            .choice("logFormat", \.logFormat, help: "Log format: text, or json (one object per line)."),
        ]
    }

    /// The setting for `key`, if there is one.
    public static func setting(_ key: String) -> Setting? {
        self.all.first { $0.key == key }
    }

    /// `--config FILE` / `ARBITER_CONFIG`: the optional JSON or YAML file. Not a setting of the
    /// server itself, so not in `all`, but read the same way.
    public static let configFileKey = "config"

    /// Every variable the server reads; any other `ARBITER_*` variable is a mistake.
    public static var knownVariables: [String] {
        (self.all.map(\.key) + [Self.configFileKey]).map(Self.variable(for:)).sorted()
    }

    /// `--join-secret-file`: the file's bytes without one trailing newline.
    private static func readSecret(path: String) throws(SettingValueError) -> [UInt8] {
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw SettingValueError("cannot read '\(path)'")
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return bytes
    }
}
