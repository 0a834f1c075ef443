import ArgumentParser

/// Turns `ARBITER_*` variables into arguments, deriving each variable's name from the
/// command's own option declarations, so every setting is declared exactly once.
enum EnvironmentArguments {
    static let prefix = "ARBITER_"

    struct UnknownVariable: Error, CustomStringConvertible {
        let description: String
    }

    /// Arguments for the variables set in `environment`, placed before the real command line
    /// (for a single-valued option the last occurrence wins, so the command line wins).
    static func arguments(for command: some ParsableArguments, environment: [String: String]) throws -> [String] {
        var arguments: [String] = []
        var known: Set<String> = []
        for child in Mirror(reflecting: command).children {
            // Property wrappers are stored as `_name`.
            guard let label = child.label, label.hasPrefix("_") else { continue }
            let words = Self.words(of: String(label.dropFirst()))
            let variable = Self.variable(for: String(label.dropFirst()))
            let option = "--" + words.joined(separator: "-")
            known.insert(variable)
            guard let value = environment[variable] else { continue }
            if child.value is Flag<Bool> {
                switch value.lowercased() {
                case "1", "true", "yes", "on": arguments.append(option)
                case "0", "false", "no", "off", "": break
                default: throw UnknownVariable(description: "\(variable) must be true or false, got '\(value)'")
                }
            } else {
                arguments.append("\(option)=\(value)")
            }
        }
        // A misspelt variable would otherwise be ignored without a word.
        for name in environment.keys where name.hasPrefix(Self.prefix) && !known.contains(name) {
            throw UnknownVariable(
                description: "unknown variable \(name); known: \(known.sorted().joined(separator: ", "))"
            )
        }
        return arguments
    }

    /// The variable for the option stored in `property` (`drainTimeout` -> `ARBITER_DRAIN_TIMEOUT`).
    static func variable(for property: String) -> String {
        Self.prefix + Self.words(of: property).joined(separator: "_").uppercased()
    }

    /// `slowClientTimeout` -> `["slow", "client", "timeout"]`, as ArgumentParser names options.
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in name {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character.lowercased())
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
