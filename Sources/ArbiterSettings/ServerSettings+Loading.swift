import ArbiterServer
import ArenaServer
import Configuration
import Foundation  // FileManager, NSString.pathExtension
import Synchronization

/// A setting that cannot be read, as one line naming where the value came from
/// (`ARBITER_PORT: 'abc' is not an integer`, `config.yaml: tickRate: ...`).
public struct SettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The configuration the settings gave, and which source gave each setting that was set.
public struct ResolvedSettings: CustomStringConvertible, Sendable {
    public var configuration: ServerConfiguration
    /// The settings some source set, in table order; a secret's value prints as `<REDACTED>`.
    public var given: [(key: String, value: ConfigValue, source: String)]

    /// `port=[int: 9000] (--port), adminToken=[string: <REDACTED>] (ARBITER_ADMIN_TOKEN)`.
    public var description: String {
        self.given.map { "\($0.key)=\($0.value) (\($0.source))" }.joined(separator: ", ")
    }
}

extension ServerSettings {
    /// `port` is read from `ARBITER_PORT`: the environment provider looks keys up under this prefix.
    static let variablePrefix: ConfigKey = ["arbiter"]

    /// The variable that sets `key`, as swift-configuration's environment provider encodes it.
    public static func variable(for key: String) -> String {
        let provider = EnvironmentVariablesProvider(environmentVariables: [:]).prefixKeys(with: Self.variablePrefix)
        do {
            return try provider.value(forKey: AbsoluteConfigKey([key]), type: .string).encodedKey
        } catch {
            // An absent variable is not an error; nothing else can happen on an empty environment.
            preconditionFailure("cannot name the variable for \(key): \(error)")
        }
    }

    /// The server's settings from, highest first: `arguments` (the command line after the program
    /// name, `--port 9000 --config arbiter.yaml`), `environment`'s `ARBITER_*` variables, the config
    /// file (`--config`, else `ARBITER_CONFIG`; JSON or YAML by its extension), and last
    /// `ServerConfiguration`'s defaults. Validated as the server will run it.
    ///
    /// Each source is a swift-configuration provider or snapshot, asked in turn here rather than
    /// through `ConfigReader`: the reader's getters with a default fall back to the default when a
    /// value does not convert (ConfigReader+internalHelpers.swift, `valueFromReader`), and its
    /// required getters report the key but not the source or the text. A mistyped port must stop
    /// the server with a message that says where to fix it.
    public static func load(arguments: [String], environment: [String: String]) throws(SettingsError) -> ResolvedSettings {
        let settings = Self.all
        let commandLine = try Self.commandLine(arguments, settings: settings)
        try Self.checkVariables(environment)
        var sources: [Source] = [
            Source(kind: .commandLine, snapshot: InMemoryProvider(name: "command line", values: commandLine.values).snapshot()),
            Source(
                kind: .environment,
                snapshot: EnvironmentVariablesProvider(
                    environmentVariables: environment,
                    secretsSpecifier: .specific(Set(settings.filter(\.isSecret).map(\.variable)))
                ).prefixKeys(with: Self.variablePrefix).snapshot()
            ),
        ]
        if let path = commandLine.configFile ?? environment[Self.variable(for: Self.configFileKey)] {
            sources.append(try Self.fileSource(path: path, settings: settings))
        }

        var configuration = ServerConfiguration()
        var given: [(key: String, value: ConfigValue, source: String)] = []
        let context = SettingContext(environment: environment)
        for setting in settings {
            var chosen: (value: ConfigValue, source: Source)?
            // Every source is read, not only the first that has the setting: a bad value under a
            // flag that overrides it today would stop the server the day the flag goes.
            for source in sources {
                let key = AbsoluteConfigKey([setting.key])
                do {
                    if let value = try source.snapshot.value(forKey: key, type: setting.type).value, chosen == nil {
                        chosen = (value, source)
                    }
                } catch {
                    throw SettingsError("\(source.name(of: setting)): \(source.badValue(for: setting))")
                }
            }
            guard let (value, source) = chosen else { continue }
            do {
                try setting.apply(value.content, &configuration, context)
            } catch {
                throw SettingsError("\(source.name(of: setting)): \(error.message)")
            }
            given.append((setting.key, ConfigValue(value.content, isSecret: value.isSecret || setting.isSecret), source.name(of: setting)))
        }
        // Agones sets AGONES_SDK_HTTP_PORT in every game server container: its presence alone turns
        // `agones` on, unless a source gave `agones` (true or false).
        if !given.contains(where: { $0.key == "agones" }) {
            configuration.agonesSDKPort = AgonesSDKClient.port(flag: false, environment: environment)
        }
        do {
            try ArenaHost.validate(configuration)
        } catch {
            // The checks name flags; say which source gave the value when it was not a flag.
            let message = String(describing: error)
            let sources = given.filter { entry in
                settings.contains { $0.key == entry.key && message.contains($0.flag) } && !entry.source.hasPrefix("--")
            }.map(\.source)
            throw SettingsError(sources.isEmpty ? message : "\(message) (set by \(sources.joined(separator: ", ")))")
        }
        return ResolvedSettings(configuration: configuration, given: given)
    }

    /// A misspelt variable would otherwise be ignored without a word.
    static func checkVariables(_ environment: [String: String]) throws(SettingsError) {
        let known = Self.knownVariables
        let prefix = Self.variable(for: "x").dropLast()  // "ARBITER_"
        for name in environment.keys.sorted() where name.hasPrefix(prefix) && !known.contains(name) {
            throw SettingsError("unknown variable \(name); known: \(known.joined(separator: ", "))")
        }
    }

    /// The config file as a swift-configuration snapshot, checked for keys no setting has.
    static func fileSource(path: String, settings: [Setting]) throws(SettingsError) -> Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("\(path): cannot read the config file")
        }
        // The snapshot asks its secrets specifier about every key it parsed, under the same
        // encoding it looks keys up by, so this is also where the file's keys are seen.
        let seen = SeenKeys()
        let secrets = Set(settings.filter(\.isSecret).map(\.key))
        let snapshot: any ConfigSnapshot
        do {
            switch (path as NSString).pathExtension.lowercased() {
            case "json":
                snapshot = try JSONSnapshot(
                    data: data.bytes, providerName: path,
                    parsingOptions: .init(secretsSpecifier: .dynamic { key, _ in seen.insert(key); return secrets.contains(key) }))
            case "yaml", "yml":
                snapshot = try YAMLSnapshot(
                    data: data.bytes, providerName: path,
                    parsingOptions: .init(secretsSpecifier: .dynamic { key, _ in seen.insert(key); return secrets.contains(key) }))
            default:
                throw SettingsError("\(path): a config file ends in .json, .yaml or .yml")
            }
        } catch let error as SettingsError {
            throw error
        } catch {
            let text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            throw SettingsError("\(path): \(text)")
        }
        let known = Set(settings.map(\.key))
        if let unknown = seen.keys.sorted().first(where: { !known.contains($0) }) {
            throw SettingsError("\(path): unknown key '\(unknown)'; known: \(known.sorted().joined(separator: ", "))")
        }
        return Source(kind: .file(path), snapshot: snapshot)
    }
}

/// One place values come from, and how an error names it.
struct Source {
    enum Kind {
        case commandLine
        case environment
        case file(String)
    }

    let kind: Kind
    let snapshot: any ConfigSnapshot

    /// `--port`, `ARBITER_PORT` or `config.yaml: port`.
    func name(of setting: Setting) -> String {
        switch self.kind {
        case .commandLine: setting.flag
        case .environment: setting.variable
        case .file(let path): "\(path): \(setting.key)"
        }
    }

    /// `'abc' is not an integer`, with the text as the source has it when it has text.
    func badValue(for setting: Setting) -> String {
        let key = AbsoluteConfigKey([setting.key])
        if case .string(let text)? = (try? self.snapshot.value(forKey: key, type: .string))?.value?.content {
            return setting.badValue(text)
        }
        return "expected \(setting.expected)"
    }
}

/// The keys a file snapshot parsed (its secrets specifier is called from a `@Sendable` closure).
final class SeenKeys: Sendable {
    private let storage = Mutex<Set<String>>([])
    func insert(_ key: String) { self.storage.withLock { _ = $0.insert(key) } }
    var keys: Set<String> { self.storage.withLock { $0 } }
}
