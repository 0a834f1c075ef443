import ArbiterServer

extension ServerSettings {
    /// The settings section of `arbiter-server --help`: every setting with its flag, variable,
    /// config-file key and default, from the table, wrapped to fit 80 columns.
    public static var help: String {
        let defaults = ServerConfiguration()
        var lines = [
            // One paragraph: ArgumentParser wraps it to the terminal; the lines below fit 80 columns.
            "Settings come from, highest first: the command line, ARBITER_* variables, the config file "
                + "(--config FILE or ARBITER_CONFIG; .json, .yaml or .yml, whose keys are the camelCase keys "
                + "below, e.g. slowClientTimeout: 1.5), then the defaults. Durations are in seconds; flags "
                + "take true/false (or yes/no, 1/0); lists are comma-separated (a sequence in a file).",
            "",
            "SETTINGS:",
            "  --\(Self.configFileKey) <path>",
        ]
        lines += Self.wrap("The optional JSON or YAML file of settings. (\(Self.variable(for: Self.configFileKey)))", width: 78, indent: "        ")
        for setting in Self.all {
            let value = setting.isFlag ? "" : " <\(setting.valueName)>"
            lines.append("  \(setting.flag)\(value)")
            var where_ = "\(setting.variable), key \(setting.key)"
            if let text = setting.defaultText(defaults), !text.isEmpty { where_ += "; default: \(text)" }
            lines += Self.wrap("\(setting.help) (\(where_))", width: 78, indent: "        ")
        }
        return lines.joined(separator: "\n")
    }

    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}
