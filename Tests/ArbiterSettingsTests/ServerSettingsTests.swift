import ArbiterServer
import ArbiterSettings
import Foundation
import Testing

/// `arbiter-server`'s settings through every source: command line, ARBITER_* variables, a JSON
/// or YAML file, defaults; and the one-line errors for each way they go wrong.
@Suite struct ServerSettingsTests {
    /// A file in a fresh temporary folder, removed with the folder at the end of the test process.
    static func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func load(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> ServerConfiguration {
        try ServerSettings.load(arguments: arguments, environment: environment).configuration
    }

    /// The message `load` fails with.
    static func failure(_ arguments: [String] = [], environment: [String: String] = [:]) -> String? {
        do {
            _ = try ServerSettings.load(arguments: arguments, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func precedenceIsFlagThenVariableThenFileThenDefault() throws {
        let file = try Self.file("arbiter.yaml", "port: 7001\nmap: expanse\n")
        let environment = ["ARBITER_PORT": "7002", "ARBITER_CONFIG": file]
        #expect(try Self.load(["--port", "7003"], environment: environment).port == 7003)
        #expect(try Self.load([], environment: environment).port == 7002)
        #expect(try Self.load(["--config", file]).port == 7001)
        #expect(try Self.load().port == ServerConfiguration().port)
        // A setting only the file gives still comes from the file when others come from above it.
        #expect(try Self.load(["--port", "7003"], environment: environment).map == "expanse")
        #expect(try Self.load().map == ServerConfiguration().map)
    }

    @Test func configFlagWinsOverConfigVariable() throws {
        let fromFlag = try Self.file("a.json", #"{"port": 7101}"#)
        let fromVariable = try Self.file("b.json", #"{"port": 7102}"#)
        #expect(try Self.load(["--config=\(fromFlag)"], environment: ["ARBITER_CONFIG": fromVariable]).port == 7101)
        #expect(try Self.load(environment: ["ARBITER_CONFIG": fromVariable]).port == 7102)
    }

    @Test func jsonAndYAMLFilesGiveTheSameSettings() throws {
        let json = try Self.file("arbiter.json", """
            {"host": "0.0.0.0", "port": 9001, "slowClientTimeout": 1.5, "drainTimeout": 90, "echoEndpoint": true,
             "allowedOrigins": ["https://a.example", "https://b.example"], "logFormat": "json", "adminToken": "0123456789abcdef"}
            """)
        let yaml = try Self.file("arbiter.yml", """
            host: 0.0.0.0
            port: 9001
            slowClientTimeout: 1.5
            drainTimeout: 90
            echoEndpoint: true
            allowedOrigins:
              - https://a.example
              - https://b.example
            logFormat: json
            adminToken: "0123456789abcdef"
            """)
        for path in [json, yaml] {
            let configuration = try Self.load(["--config", path])
            #expect(configuration.host == "0.0.0.0")
            #expect(configuration.port == 9001)
            #expect(configuration.slowClientTimeout == .milliseconds(1500))
            #expect(configuration.drainTimeout == .seconds(90))
            #expect(configuration.echoEndpoint)
            #expect(configuration.allowedOrigins == ["https://a.example", "https://b.example"])
            #expect(configuration.logFormat == .json)
            #expect(configuration.adminToken == "0123456789abcdef")
        }
    }

    /// A duration, a flag and a list through each of the three sources.
    @Test(arguments: ["command line", "environment", "json", "yaml"])
    func durationFlagAndListThroughEachSource(source: String) throws {
        let configuration: ServerConfiguration
        switch source {
        case "command line":
            configuration = try Self.load(["--resume-grace", "2.5", "--echo-endpoint", "--allowed-origins", "https://a.example, https://b.example"])
        case "environment":
            configuration = try Self.load(environment: [
                "ARBITER_RESUME_GRACE": "2.5", "ARBITER_ECHO_ENDPOINT": "yes", "ARBITER_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            ])
        case "json":
            configuration = try Self.load(["--config", try Self.file("s.json", """
                {"resumeGrace": 2.5, "echoEndpoint": true, "allowedOrigins": ["https://a.example", "https://b.example"]}
                """)])
        default:
            configuration = try Self.load(["--config", try Self.file("s.yaml", """
                resumeGrace: 2.5
                echoEndpoint: true
                allowedOrigins: [https://a.example, https://b.example]
                """)])
        }
        #expect(configuration.resumeGrace == .milliseconds(2500))
        #expect(configuration.echoEndpoint)
        #expect(configuration.allowedOrigins == ["https://a.example", "https://b.example"])
        // Unset, each keeps its default.
        #expect(ServerConfiguration().resumeGrace != .milliseconds(2500))
        #expect(!ServerConfiguration().echoEndpoint && ServerConfiguration().allowedOrigins.isEmpty)
    }

    /// A setting that is unset by default, and a choice, from a flag and from a variable.
    @Test func optionalIntegerAndChoice() throws {
        #expect(try Self.load().eventLoopThreads == nil)
        #expect(try Self.load(["--threads", "2"]).eventLoopThreads == 2)
        #expect(try Self.load(environment: ["ARBITER_THREADS": "3"]).eventLoopThreads == 3)
        #expect(try Self.load(environment: ["ARBITER_TICK_PRIORITY": "nice"]).tickPriority == .nice)
        #expect(Self.failure(["--tick-priority", "urgent"]) == "--tick-priority: 'urgent' is not one of normal, nice, realtime")
        #expect(Self.failure(["--threads", "0"]) == "--threads must be at least 1")
    }

    @Test func flagsTurnOffToo() throws {
        let file = try Self.file("on.yaml", "echoEndpoint: true\n")
        #expect(try !Self.load(["--config", file, "--echo-endpoint=false"]).echoEndpoint)
        #expect(try !Self.load(["--config", file], environment: ["ARBITER_ECHO_ENDPOINT": "0"]).echoEndpoint)
        #expect(try Self.load(["--echo-endpoint=1"]).echoEndpoint)
    }

    /// Agones sets AGONES_SDK_HTTP_PORT in every game server container: that alone turns Agones
    /// on, at that port; `agones` given false from any source keeps it off.
    @Test func theAgonesPortVariableTurnsAgonesOn() throws {
        #expect(try Self.load(environment: ["AGONES_SDK_HTTP_PORT": "9401"]).agonesSDKPort == 9401)
        #expect(try Self.load(["--agones"]).agonesSDKPort == 9358)
        #expect(try Self.load(["--agones=false"], environment: ["AGONES_SDK_HTTP_PORT": "9401"]).agonesSDKPort == nil)
        #expect(try Self.load(environment: ["ARBITER_AGONES": "false", "AGONES_SDK_HTTP_PORT": "9401"]).agonesSDKPort == nil)
    }

    @Test func unknownFileKeyIsAnErrorNamingTheKnownOnes() throws {
        let path = try Self.file("bad.yaml", "port: 9000\nslow-client-timeout: 2\n")
        let message = try #require(Self.failure(["--config", path]))
        #expect(message.hasPrefix("\(path): unknown key 'slow-client-timeout'; known: "))
        #expect(message.contains("slowClientTimeout") && message.contains("port"))
        #expect(!message.contains("\n"))
        // Nesting is not a scheme the server reads either.
        let nested = try Self.file("nested.json", #"{"server": {"port": 9000}}"#)
        #expect(Self.failure(["--config", nested])?.hasPrefix("\(nested): unknown key 'server.port'") == true)
    }

    @Test func misspeltVariableIsAnErrorNamingTheKnownOnes() throws {
        let message = try #require(Self.failure(environment: ["ARBITER_PROT": "9000"]))
        #expect(message.hasPrefix("unknown variable ARBITER_PROT; known: "))
        #expect(message.contains("ARBITER_PORT") && message.contains("ARBITER_CONFIG"))
        // Other programs' variables are none of the server's business.
        #expect(try Self.load(environment: ["PATH": "/bin", "AGONES_SDK_HTTP_PORT": "9358"]).port == ServerConfiguration().port)
    }

    @Test func unknownOptionIsAnError() throws {
        let message = try #require(Self.failure(["--prot", "9000"]))
        #expect(message.hasPrefix("unknown option --prot; known: "))
        #expect(message.contains("--port") && message.contains("--config"))
        #expect(Self.failure(["9000"]) == "unexpected argument '9000'")
        #expect(Self.failure(["--port"]) == "--port needs a value")
    }

    @Test func badValuesNameTheirSource() throws {
        #expect(Self.failure(environment: ["ARBITER_PORT": "abc"]) == "ARBITER_PORT: 'abc' is not an integer")
        #expect(Self.failure(["--port", "abc"]) == "--port: 'abc' is not an integer")
        // A source below the one that wins is still checked.
        #expect(Self.failure(["--port", "9000"], environment: ["ARBITER_PORT": "abc"]) == "ARBITER_PORT: 'abc' is not an integer")
        #expect(Self.failure(["--drain-timeout=soon"]) == "--drain-timeout: 'soon' is not a number of seconds")
        #expect(Self.failure(environment: ["ARBITER_AGONES": "maybe"]) == "ARBITER_AGONES: 'maybe' is not true or false")
        #expect(Self.failure(["--log-level", "loud"])?.hasPrefix("--log-level: 'loud' is not one of trace, debug, info") == true)
        let yaml = try Self.file("config.yaml", "tickRate: fast\n")
        #expect(Self.failure(["--config", yaml]) == "\(yaml): tickRate: 'fast' is not an integer")
        let json = try Self.file("config.json", #"{"host": 8080}"#)
        #expect(Self.failure(["--config", json]) == "\(json): host: expected text")
        let broken = try Self.file("broken.json", #"{"port": "#)
        let message = try #require(Self.failure(["--config", broken]))
        #expect(message.hasPrefix("\(broken): ") && !message.contains("\n"))
        #expect(Self.failure(["--config", "/nonexistent/arbiter.yaml"]) == "/nonexistent/arbiter.yaml: cannot read the config file")
        let toml = try Self.file("arbiter.toml", "port = 1\n")
        #expect(Self.failure(["--config", toml]) == "\(toml): a config file ends in .json, .yaml or .yml")
    }

    /// The relations between settings are still checked, whatever the source.
    @Test func validationStillApplies() throws {
        let message = try #require(Self.failure(environment: ["ARBITER_TICK_RATE": "8"]))
        #expect(message.hasPrefix("--tick-rate must be within"))
        #expect(message.hasSuffix(", got 8 (set by ARBITER_TICK_RATE)"))
        #expect(Self.failure(["--tick-rate", "8"])?.hasSuffix(", got 8") == true)
        #expect(Self.failure(["--allowed-origins", "game.example"])?.contains("is not an origin") == true)
    }

    @Test func joinSecretFromFileOrValueNotBoth() throws {
        let secretFile = try Self.file("secret", "0123456789abcdefXYZ\n")
        #expect(try Self.load(["--join-secret-file", secretFile]).joinSecret == Array("0123456789abcdefXYZ".utf8))
        #expect(try Self.load(environment: ["ARBITER_JOIN_SECRET": "0123456789abcdef"]).joinSecret == Array("0123456789abcdef".utf8))
        #expect(Self.failure(["--join-secret-file", secretFile], environment: ["ARBITER_JOIN_SECRET": "0123456789abcdef"])
            == "--join-secret-file: give joinSecret or joinSecretFile, not both")
    }

    @Test func secretsAreRedactedWhereverTheSettingsPrint() throws {
        let file = try Self.file("s.yaml", "adminToken: file-token-0123456789\n")
        let resolved = try ServerSettings.load(
            arguments: ["--config", file, "--port", "9002"],
            environment: ["ARBITER_JOIN_SECRET": "variable-secret-0123456789"])
        #expect(resolved.configuration.adminToken == "file-token-0123456789")
        let text = resolved.description
        #expect(text.contains("port=[int: 9002] (--port)"))
        #expect(text.contains("joinSecret=[string: <REDACTED>] (ARBITER_JOIN_SECRET)"))
        #expect(text.contains("adminToken=[string: <REDACTED>] (\(file): adminToken)"))
        #expect(!text.contains("file-token") && !text.contains("variable-secret"))
        let flagged = try ServerSettings.load(arguments: ["--admin-token", "flag-token-0123456789"], environment: [:])
        #expect(!flagged.description.contains("flag-token"))
    }

    /// The names users already have (README) are the ones the settings derive.
    @Test func variableAndFlagNamesKeepTheirSpelling() throws {
        let known = ServerSettings.knownVariables
        for name in ["ARBITER_PORT", "ARBITER_SLOW_CLIENT_TIMEOUT", "ARBITER_MAX_CONNECTIONS_PER_ADDRESS", "ARBITER_ADMIN_TOKEN",
                     "ARBITER_JOIN_SECRET", "ARBITER_JOIN_SECRET_FILE", "ARBITER_AGONES", "ARBITER_ECHO_ENDPOINT", "ARBITER_CONFIG"] {
            #expect(known.contains(name), "\(name)")
        }
        #expect(ServerSettings.setting("slowClientTimeout")?.flag == "--slow-client-timeout")
        #expect(ServerSettings.setting("maxConnectionsPerAddress")?.flag == "--max-connections-per-address")
        // One setting per key, flag and variable.
        let all = ServerSettings.all
        #expect(Set(all.map(\.key)).count == all.count && Set(all.map(\.flag)).count == all.count)
    }

    @Test func helpListsEverySettingWithItsVariableKeyAndDefault() throws {
        let help = ServerSettings.help
        // Read as prose, whatever the line breaks.
        let text = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for setting in ServerSettings.all {
            #expect(help.contains("\n  \(setting.flag)"), "\(setting.flag)")
            #expect(text.contains("(\(setting.variable), key \(setting.key)"), "\(setting.key)")
        }
        #expect(text.contains("(ARBITER_PORT, key port; default: \(ServerConfiguration().port))"))
        #expect(text.contains("(ARBITER_SLOW_CLIENT_TIMEOUT, key slowClientTimeout; default: 3)"))
        #expect(text.contains("(ARBITER_ALLOWED_ORIGINS, key allowedOrigins)"))
        // The settings' lines fit 80 columns, so ArgumentParser does not wrap them again.
        #expect(help.split(separator: "\n").filter { $0.hasPrefix("  ") }.allSatisfy { $0.count <= 80 })
    }

    /// The README's example file loads, and gives what its comments say.
    @Test func theReadmeExampleFileLoads() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\n# arbiter.yaml"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let example = String(text[text.index(start.lowerBound, offsetBy: "```yaml\n".count)..<end.lowerBound])
        let configuration = try Self.load(["--config", try Self.file("arbiter.yaml", example)])
        #expect(configuration.port == 7777 && configuration.map == "expanse" && configuration.host == "0.0.0.0")
        #expect(configuration.slowClientTimeout == .milliseconds(1500))
        #expect(configuration.allowedOrigins == ["https://game.example"])
    }

    /// No source, no surprise: every setting keeps ServerConfiguration's default.
    @Test func nothingGivenIsTheDefaults() throws {
        let resolved = try ServerSettings.load(arguments: [], environment: [:])
        #expect(resolved.given.isEmpty)
        let defaults = ServerConfiguration()
        let loaded = resolved.configuration
        #expect(loaded.port == defaults.port && loaded.host == defaults.host && loaded.drainTimeout == defaults.drainTimeout)
        #expect(loaded.webRoot.description == defaults.webRoot.description && loaded.agonesSDKPort == nil)
    }
}
