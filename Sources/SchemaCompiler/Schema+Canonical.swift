extension Schema {
    /// The schema with comments, spacing and number spellings normalized away: two files that
    /// describe the same wire have the same canonical form, hence the same hash.
    public var canonicalForm: String {
        var lines = ["protocol \(name) \(version)"]
        for declaration in declarations {
            switch declaration {
            case .alias:
                continue  // resolved into the fields that use them
            case .enumeration(let name, let cases):
                lines.append("enum \(name) { \(cases.map { "\($0.name) = \($0.value)" }.joined(separator: "; ")) }")
            case .structure(let name, let fields):
                lines.append("struct \(name) { \(fields.canonical) }")
            case .entity(let name, let fields):
                lines.append("entity \(name) { \(fields.canonical) }")
            case .union(let name, let members):
                lines.append("union \(name) = \(members.joined(separator: " | "))")
            case .message(let m):
                lines.append("\(m.isDelta ? "delta " : "")message \(m.name) = \(m.id) \(m.direction.rawValue) { \(m.fields.canonical) }")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// SHA-256 of the canonical form: what Hello carries and the server compares.
    public var hash: [UInt8] { SHA256.hash(Array(canonicalForm.utf8)) }

    public var hashHex: String { hash.hexString }
}

private extension Array where Element == Field {
    var canonical: String { map { "\($0.name): \($0.type.canonical)\($0.diff ? " diff" : "")" }.joined(separator: "; ") }
}

extension FieldType {
    /// Aliases are resolved before this is read: renaming one does not change the hash, changing
    /// what it stands for does.
    var canonical: String {
        switch self {
        case .bool: "bool"
        case .unsigned(let bits): "u\(bits)"
        case .signed(let bits): "i\(bits)"
        case .ranged(let min, let max): "int(\(min)..\(max))"
        case .fixed(let min, let max, let step, _): "fixed(\(min), \(max), \(step))"
        case .angle(let bits): "angle(\(bits))"
        case .varuint(let width): width == 32 ? "varuint" : "varuint64"
        case .string(let max): "string(\(max))"
        case .bytes(let max): "bytes(\(max))"
        case .optional(let inner): "\(inner.canonical)?"
        case .array(let inner, let max): "\(inner.canonical)[\(max)]"
        case .set(let union, let max): "set<\(union)>(\(max))"
        case .named(let name): name
        }
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Swift.Array<Character>("0123456789abcdef")
        var out = ""
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return out
    }
}
