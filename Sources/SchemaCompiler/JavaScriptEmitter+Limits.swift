/// The JavaScript side of the schema's bounds (Protocol/README.md, 3.1): one frozen `Limits`
/// object with an entry per bounded alias and per type with bounded fields, named as in Swift
/// (`Limits.Own.health`, `Limits.Snapshot.entities`, `Limits.Name.maxLength`).
extension JavaScriptEmitter {
    func emitLimits(_ out: inout CodeWriter) {
        var entries: [(name: String, constants: [String])] = []
        for declaration in schema.declarations {
            switch declaration {
            case .alias(let name, let type):
                entries.append((name, type.limits(at: []).map { "\($0.aliasConstantName): \(value($0))" }))
            case .structure(let name, let fields), .entity(let name, let fields):
                entries.append((name, Schema.limits(of: fields).map { "\($0.fieldConstantName): \(value($0))" }))
            case .message(let m):
                entries.append((m.name, Schema.limits(of: m.fields).map { "\($0.fieldConstantName): \(value($0))" }))
            case .enumeration, .union:
                continue
            }
        }
        out.line("/**")
        out.line(" * The schema's bounds (Protocol/README.md, 3.1 \"Generated limits\"): ranges as {min, max},")
        out.line(" * string lengths in UTF-8 bytes, counts in elements, fixed resolutions and angle bits.")
        out.line(" */")
        out.line("const range = (min, max) => Object.freeze({ min, max });")
        out.open("export const Limits = Object.freeze(")
        for entry in entries where !entry.constants.isEmpty {
            out.line("\(entry.name): Object.freeze({ \(entry.constants.joined(separator: ", ")) }),")
        }
        out.close("});")
    }

    private func value(_ limit: Limit) -> String {
        switch limit.value {
        case .integers(let min, let max):
            // The runtime holds integers over 32 bits as BigInt (int(MIN..MAX) stays a Number).
            switch limit.type {
            case .unsigned(let bits) where bits > 32, .signed(let bits) where bits > 32: "range(\(min)n, \(max)n)"
            default: "range(\(min), \(max))"
            }
        case .reals(let min, let max): "range(\(min), \(max))"
        case .resolution(let step): "\(step)"
        case .bits(let n), .length(let n), .count(let n): "\(n)"
        }
    }
}
