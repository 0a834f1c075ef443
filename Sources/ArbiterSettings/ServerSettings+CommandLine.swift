import Configuration

/// The settings given on the command line, as values for an `InMemoryProvider`, the first source.
struct CommandLineSettings {
    var values: [AbsoluteConfigKey: ConfigValue] = [:]
    /// `--config FILE`.
    var configFile: String?
}

extension ServerSettings {
    /// Parses `--name value`, `--name=value` and bare flags (`--agones`) against the table; a
    /// name no setting has is an error naming the known ones. The last of a repeated one wins.
    static func commandLine(_ arguments: [String], settings: [Setting]) throws(SettingsError) -> CommandLineSettings {
        let byFlag = Dictionary(settings.map { ($0.flag, $0) }, uniquingKeysWith: { first, _ in first })
        let configFlag = "--" + Self.configFileKey
        var result = CommandLineSettings()
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { throw SettingsError("unexpected argument '\(argument)'") }
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            var inline = parts.count == 2 ? String(parts[1]) : nil
            let setting = byFlag[name]
            guard setting != nil || name == configFlag else {
                throw SettingsError("unknown option \(name); known: \((byFlag.keys.sorted() + [configFlag]).joined(separator: ", "))")
            }
            if inline == nil, setting?.isFlag == true { inline = "true" }
            let text: String
            if let inline {
                text = inline
            } else {
                guard index < arguments.endIndex else { throw SettingsError("\(name) needs a value") }
                text = arguments[index]
                index += 1
            }
            guard let setting else {
                result.configFile = text
                continue
            }
            guard let content = setting.parse(text) else { throw SettingsError("\(name): \(setting.badValue(text))") }
            result.values[AbsoluteConfigKey([setting.key])] = ConfigValue(content, isSecret: setting.isSecret)
        }
        return result
    }
}

extension Setting {
    /// A command-line value, read as swift-configuration's environment provider reads a variable
    /// (the same words for true and false, lists split at commas), so both text sources agree.
    func parse(_ text: String) -> ConfigContent? {
        switch self.type {
        case .string: .string(text)
        case .int: Int(text).map(ConfigContent.int)
        case .double: Double(text).map(ConfigContent.double)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "1": .bool(true)
            case "false", "no", "0": .bool(false)
            default: nil
            }
        case .stringArray: .stringArray(text.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        default: nil
        }
    }

    /// What a value of this setting is, for errors.
    var expected: String {
        switch self.type {
        case .int: "an integer"
        case .double: "a number of seconds"
        case .bool: "true or false"
        case .stringArray: "a list"
        default: "text"
        }
    }

    /// `'abc' is not an integer`.
    func badValue(_ text: String) -> String {
        "'\(text)' is not \(self.expected)"
    }
}
