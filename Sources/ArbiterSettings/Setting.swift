import ArbiterServer
import Configuration

/// One setting of `arbiter-server`, declared once. Its key, one camelCase component as
/// swift-configuration names keys, gives the config-file key (`slowClientTimeout`), the flag
/// (`--slow-client-timeout`) and the variable (`ARBITER_SLOW_CLIENT_TIMEOUT`); the default is
/// read from `ServerConfiguration`, so it is never written twice.
public struct Setting {
    /// The config-file key; the flag and the variable are derived from it.
    public let key: String
    public let help: String
    /// What every source is asked for (a duration is a `.double` of seconds).
    let type: ConfigType
    /// The value's name in `--help` and in errors: "integer", "seconds", ...
    let valueName: String
    /// Redacted wherever the settings are printed (`ConfigValue.isSecret`).
    public let isSecret: Bool
    /// The default as `--help` shows it; nil when the setting is unset by default.
    let defaultText: (ServerConfiguration) -> String?
    /// Stores a value into the configuration; a message without the source, which the loader adds.
    let apply: (ConfigContent, inout ServerConfiguration, SettingContext) throws(SettingValueError) -> Void

    /// `--slow-client-timeout`: camelCase words joined with '-', as swift-configuration's
    /// command-line key encoder spells keys.
    public var flag: String {
        var flag = "--"
        var previous: Character?
        for character in self.key {
            if let previous, previous.isLowercase, character.isUppercase { flag.append("-") }
            flag += character.lowercased()
            previous = character
        }
        return flag
    }

    /// `ARBITER_SLOW_CLIENT_TIMEOUT`: asked of swift-configuration's environment provider, so the
    /// names the server reads and the names it prints are the same by construction.
    public var variable: String {
        ServerSettings.variable(for: self.key)
    }

    /// A flag takes no separate value on the command line (`--agones`, or `--agones=false`).
    var isFlag: Bool { self.type == .bool }
}

/// What a setting may need beyond its own value.
struct SettingContext {
    /// The process environment (`--agones` reads the SDK's port from `AGONES_SDK_HTTP_PORT`).
    var environment: [String: String]
}

/// A value a setting cannot take; `ServerSettings.load` prefixes the source that gave it.
struct SettingValueError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension Setting {
    /// Text: the host, the map.
    static func text(_ key: String, _ path: WritableKeyPath<ServerConfiguration, String>, help: String) -> Setting {
        Setting(key: key, help: help, type: .string, valueName: "text", isSecret: false,
                defaultText: { $0[keyPath: path] },
                apply: { content, configuration, _ throws(SettingValueError) in configuration[keyPath: path] = try content.text() })
    }

    /// Text that is unset by default; `secret` redacts it wherever settings are printed.
    static func optionalText(
        _ key: String, _ path: WritableKeyPath<ServerConfiguration, String?>, secret: Bool = false, help: String
    ) -> Setting {
        Setting(key: key, help: help, type: .string, valueName: "text", isSecret: secret,
                defaultText: { $0[keyPath: path] },
                apply: { content, configuration, _ throws(SettingValueError) in configuration[keyPath: path] = try content.text() })
    }

    static func integer(_ key: String, _ path: WritableKeyPath<ServerConfiguration, Int>, help: String) -> Setting {
        Setting(key: key, help: help, type: .int, valueName: "integer", isSecret: false,
                defaultText: { "\($0[keyPath: path])" },
                apply: { content, configuration, _ throws(SettingValueError) in configuration[keyPath: path] = try content.integer() })
    }

    /// An integer that is unset by default (the default is worked out at start).
    static func optionalInteger(_ key: String, _ path: WritableKeyPath<ServerConfiguration, Int?>, help: String) -> Setting {
        Setting(key: key, help: help, type: .int, valueName: "integer", isSecret: false,
                defaultText: { $0[keyPath: path].map { "\($0)" } },
                apply: { content, configuration, _ throws(SettingValueError) in configuration[keyPath: path] = try content.integer() })
    }

    /// A duration, given in seconds (`1.5`).
    static func seconds(_ key: String, _ path: WritableKeyPath<ServerConfiguration, Duration>, help: String) -> Setting {
        Setting(key: key, help: help, type: .double, valueName: "seconds", isSecret: false,
                defaultText: { $0[keyPath: path].secondsText },
                apply: { content, configuration, _ throws(SettingValueError) in
                    configuration[keyPath: path] = try content.duration()
                })
    }

    static func flag(_ key: String, _ path: WritableKeyPath<ServerConfiguration, Bool>, help: String) -> Setting {
        Setting(key: key, help: help, type: .bool, valueName: "true|false", isSecret: false,
                defaultText: { "\($0[keyPath: path])" },
                apply: { content, configuration, _ throws(SettingValueError) in configuration[keyPath: path] = try content.flag() })
    }

    /// A list: comma-separated on the command line and in a variable, a sequence in a file.
    static func list(_ key: String, _ path: WritableKeyPath<ServerConfiguration, [String]>, help: String) -> Setting {
        Setting(key: key, help: help, type: .stringArray, valueName: "list", isSecret: false,
                defaultText: { $0[keyPath: path].isEmpty ? nil : $0[keyPath: path].joined(separator: ",") },
                apply: { content, configuration, _ throws(SettingValueError) in configuration[keyPath: path] = try content.list() })
    }

    /// One of a fixed set of words (log level, log format).
    static func choice<Value: RawRepresentable<String> & CaseIterable>(
        _ key: String, _ path: WritableKeyPath<ServerConfiguration, Value>, help: String
    ) -> Setting {
        let words = Value.allCases.map(\.rawValue)
        return Setting(key: key, help: help, type: .string, valueName: words.joined(separator: "|"), isSecret: false,
                       defaultText: { $0[keyPath: path].rawValue },
                       apply: { content, configuration, _ throws(SettingValueError) in
                           let text = try content.text()
                           guard let value = Value(rawValue: text) else {
                               throw SettingValueError("'\(text)' is not one of \(words.joined(separator: ", "))")
                           }
                           configuration[keyPath: path] = value
                       })
    }

    /// A setting whose value is not one property as it is (the web root, `--agones`, the join secret).
    static func custom(
        _ key: String, type: ConfigType, valueName: String, secret: Bool = false, help: String,
        default defaultText: @escaping (ServerConfiguration) -> String?,
        apply: @escaping (ConfigContent, inout ServerConfiguration, SettingContext) throws(SettingValueError) -> Void
    ) -> Setting {
        Setting(key: key, help: help, type: type, valueName: valueName, isSecret: secret, defaultText: defaultText, apply: apply)
    }
}

extension ConfigContent {
    // The sources answer in the type they were asked for; anything else is a bug here, reported
    // as a value error rather than a crash.
    func text() throws(SettingValueError) -> String {
        guard case .string(let value) = self else { throw SettingValueError("expected text, got \(self)") }
        return value
    }

    func integer() throws(SettingValueError) -> Int {
        guard case .int(let value) = self else { throw SettingValueError("expected an integer, got \(self)") }
        return value
    }

    func flag() throws(SettingValueError) -> Bool {
        guard case .bool(let value) = self else { throw SettingValueError("expected true or false, got \(self)") }
        return value
    }

    func list() throws(SettingValueError) -> [String] {
        guard case .stringArray(let values) = self else { throw SettingValueError("expected a list, got \(self)") }
        // `a, b` and a trailing comma mean what they look like.
        return values.map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
    }

    func duration() throws(SettingValueError) -> Duration {
        let seconds: Double
        switch self {
        case .double(let value): seconds = value
        case .int(let value): seconds = Double(value)
        default: throw SettingValueError("expected a number of seconds, got \(self)")
        }
        // Duration(seconds:) traps on these; a year is far beyond any timeout here.
        guard seconds.isFinite, abs(seconds) < 366 * 86_400 else {
            throw SettingValueError("'\(seconds)' is not a number of seconds")
        }
        return .seconds(seconds)
    }
}

extension Duration {
    /// `60` rather than `60.0` for whole seconds, as the settings are written.
    public var secondsText: String {
        let seconds = Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
        return seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }
}
