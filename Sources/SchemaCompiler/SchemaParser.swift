/// Parses schema text into a checked `Schema`. The grammar is in Protocol/README.md
/// ("The schema language"); every error names the file, line and column.
public struct SchemaParser {
    private var tokens: [Token]
    private var index = 0
    /// Where each declaration and type reference was written, for the checker's messages.
    private var declarationLocations: [String: SourceLocation] = [:]
    private var references: [(name: String, location: SourceLocation)] = []

    public static func parse(_ text: String, file: String) throws(SchemaError) -> Schema {
        var parser = SchemaParser(tokens: try SchemaLexer.tokens(of: text, file: file))
        let schema = try parser.parseFile()
        return try SchemaChecker.check(schema, declarationLocations: parser.declarationLocations, references: parser.references)
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: tokens

    private var current: Token { tokens[index] }

    private mutating func skipNewlines() {
        while current.kind == .newline { index += 1 }
    }

    private mutating func next() -> Token {
        let token = tokens[index]
        if token.kind != .end { index += 1 }
        return token
    }

    private mutating func expect(_ symbol: String) throws(SchemaError) {
        let token = next()
        guard token.kind == .symbol(symbol) else { throw SchemaError("expected '\(symbol)', found \(describe(token))", at: token.location) }
    }

    private mutating func identifier(_ what: String) throws(SchemaError) -> (String, SourceLocation) {
        let token = next()
        guard case .identifier(let name) = token.kind else { throw SchemaError("expected \(what), found \(describe(token))", at: token.location) }
        return (name, token.location)
    }

    private mutating func keyword(_ word: String) throws(SchemaError) {
        let (name, location) = try identifier("'\(word)'")
        guard name == word else { throw SchemaError("expected '\(word)', found '\(name)'", at: location) }
    }

    private mutating func integer(_ what: String) throws(SchemaError) -> (Int64, SourceLocation) {
        let token = next()
        guard case .number(let text) = token.kind, let value = Int64(text) else {
            throw SchemaError("expected \(what) (an integer), found \(describe(token))", at: token.location)
        }
        return (value, token.location)
    }

    private mutating func decimal(_ what: String) throws(SchemaError) -> (Double, SourceLocation) {
        let token = next()
        guard case .number(let text) = token.kind, let value = Double(text) else {
            throw SchemaError("expected \(what) (a number), found \(describe(token))", at: token.location)
        }
        return (value, token.location)
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier(let s): "'\(s)'"
        case .number(let s): "'\(s)'"
        case .symbol(let s): "'\(s)'"
        case .newline: "end of line"
        case .end: "end of file"
        }
    }

    private mutating func endOfLine() throws(SchemaError) {
        let token = current
        guard token.kind == .newline || token.kind == .end else {
            throw SchemaError("expected end of line, found \(describe(token))", at: token.location)
        }
        skipNewlines()
    }

    // MARK: grammar

    private mutating func parseFile() throws(SchemaError) -> Schema {
        skipNewlines()
        try keyword("protocol")
        let (name, _) = try identifier("protocol name")
        let (version, versionAt) = try integer("protocol version")
        guard (1...65535).contains(version) else { throw SchemaError("protocol version must be 1...65535", at: versionAt) }
        try endOfLine()
        var schema = Schema(name: name, version: Int(version), declarations: [])
        while current.kind != .end {
            let declaration = try parseDeclaration()
            schema.declarations.append(declaration)
            skipNewlines()
        }
        return schema
    }

    private mutating func declare(_ name: String, at location: SourceLocation) throws(SchemaError) {
        if let previous = declarationLocations[name] {
            throw SchemaError("'\(name)' is already declared at \(previous)", at: location)
        }
        declarationLocations[name] = location
    }

    private mutating func parseDeclaration() throws(SchemaError) -> Declaration {
        let (word, wordAt) = try identifier("a declaration (type, enum, struct, entity, union, message)")
        switch word {
        case "type":
            let (name, at) = try identifier("type name")
            try declare(name, at: at)
            try expect("=")
            let type = try parseType()
            try endOfLine()
            return .alias(name: name, type: type)
        case "enum":
            let (name, at) = try identifier("enum name")
            try declare(name, at: at)
            return .enumeration(name: name, cases: try parseEnumBody())
        case "struct", "entity":
            let (name, at) = try identifier("\(word) name")
            try declare(name, at: at)
            let fields = try parseFields(allowDiff: false)
            return word == "struct" ? .structure(name: name, fields: fields) : .entity(name: name, fields: fields)
        case "union":
            let (name, at) = try identifier("union name")
            try declare(name, at: at)
            try expect("=")
            var members: [String] = []
            repeat {
                let (member, memberAt) = try identifier("entity name")
                references.append((member, memberAt))
                members.append(member)
            } while try consumeSymbol("|")
            try endOfLine()
            return .union(name: name, members: members)
        case "message", "delta":
            let isDelta = word == "delta"
            if isDelta { try keyword("message") }
            let (name, at) = try identifier("message name")
            try declare(name, at: at)
            try expect("=")
            let (id, idAt) = try integer("message id")
            guard (1...255).contains(id) else { throw SchemaError("message id must be 1...255", at: idAt) }
            let direction = try parseDirection()
            let fields = try parseFields(allowDiff: isDelta)
            return .message(Message(name: name, id: Int(id), direction: direction, isDelta: isDelta, fields: fields))
        default:
            throw SchemaError("unknown declaration '\(word)' (expected type, enum, struct, entity, union, message or delta message)", at: wordAt)
        }
    }

    private mutating func consumeSymbol(_ symbol: String) throws(SchemaError) -> Bool {
        if current.kind == .symbol(symbol) { index += 1; return true }
        return false
    }

    private mutating func parseDirection() throws(SchemaError) -> Direction {
        let (first, at) = try identifier("a direction (client->server, server->client or both)")
        if first == "both" { return .both }
        try expect("->")
        let (second, _) = try identifier("'client' or 'server'")
        switch (first, second) {
        case ("client", "server"): return .server
        case ("server", "client"): return .client
        default: throw SchemaError("a direction is client->server, server->client or both", at: at)
        }
    }

    private mutating func parseEnumBody() throws(SchemaError) -> [EnumCase] {
        try expect("{")
        try endOfLine()
        var cases: [EnumCase] = []
        var seen: [String: SourceLocation] = [:]
        var values: [UInt64: String] = [:]
        while !(try consumeSymbol("}")) {
            let (name, at) = try identifier("enum case name")
            if let previous = seen[name] { throw SchemaError("duplicate enum case '\(name)' (first at \(previous))", at: at) }
            seen[name] = at
            try expect("=")
            let (value, valueAt) = try integer("enum value")
            guard (0...Int64(UInt32.max)).contains(value) else { throw SchemaError("enum values must be 0...4294967295", at: valueAt) }
            if let other = values[UInt64(value)] { throw SchemaError("enum value \(value) is already used by '\(other)'", at: valueAt) }
            values[UInt64(value)] = name
            cases.append(EnumCase(name: name, value: UInt64(value)))
            try endOfLine()
        }
        try endOfLine()
        guard !cases.isEmpty else { throw SchemaError("an enum needs at least one case", at: current.location) }
        return cases
    }

    private mutating func parseFields(allowDiff: Bool) throws(SchemaError) -> [Field] {
        try expect("{")
        try endOfLine()
        var fields: [Field] = []
        var seen: [String: SourceLocation] = [:]
        while !(try consumeSymbol("}")) {
            let (name, at) = try identifier("field name")
            if let previous = seen[name] { throw SchemaError("duplicate field '\(name)' (first at \(previous))", at: at) }
            seen[name] = at
            try expect(":")
            let type = try parseType()
            var diff = false
            if case .identifier("diff") = current.kind {
                let diffAt = next().location
                guard allowDiff else { throw SchemaError("'diff' is only allowed on fields of a delta message", at: diffAt) }
                diff = true
            }
            fields.append(Field(name: name, type: type, diff: diff, location: at))
            try endOfLine()
        }
        try endOfLine()
        return fields
    }

    private mutating func parseType() throws(SchemaError) -> FieldType {
        var type = try parseBaseType()
        while true {
            if try consumeSymbol("?") {
                if case .optional = type { throw SchemaError("an optional of an optional says nothing more", at: tokens[index - 1].location) }
                type = .optional(type)
            } else if try consumeSymbol("[") {
                let (max, at) = try integer("array maximum length")
                guard (1...65535).contains(max) else { throw SchemaError("array maximum length must be 1...65535", at: at) }
                try expect("]")
                type = .array(type, max: Int(max))
            } else {
                return type
            }
        }
    }

    private mutating func parenthesizedCount(_ what: String, range: ClosedRange<Int64>) throws(SchemaError) -> Int {
        try expect("(")
        let (value, at) = try integer(what)
        guard range.contains(value) else { throw SchemaError("\(what) must be \(range.lowerBound)...\(range.upperBound)", at: at) }
        try expect(")")
        return Int(value)
    }

    private mutating func parseBaseType() throws(SchemaError) -> FieldType {
        let (word, at) = try identifier("a type")
        switch word {
        case "bool": return .bool
        case "varuint": return .varuint(width: 32)
        case "varuint64": return .varuint(width: 64)
        case "int":
            try expect("(")
            let (lo, loAt) = try integer("minimum")
            try expect("..")
            let (hi, _) = try integer("maximum")
            try expect(")")
            let limit: Int64 = 1 << 53 - 1
            guard lo <= hi else { throw SchemaError("int(min..max) needs min <= max", at: loAt) }
            guard lo >= -limit && hi <= limit else {
                throw SchemaError("int(min..max) bounds must lie within ±(2^53 - 1) so JavaScript numbers hold them exactly", at: loAt)
            }
            return .ranged(min: lo, max: hi)
        case "fixed":
            try expect("(")
            let (lo, loAt) = try decimal("minimum")
            try expect(",")
            let (hi, _) = try decimal("maximum")
            try expect(",")
            let (step, stepAt) = try decimal("resolution")
            try expect(")")
            guard lo < hi else { throw SchemaError("fixed(min, max, resolution) needs min < max", at: loAt) }
            guard step > 0 else { throw SchemaError("the resolution must be positive", at: stepAt) }
            let exact = (hi - lo) / step
            let steps = exact.rounded()
            guard steps >= 1, steps <= 9_007_199_254_740_991, abs(exact - steps) <= 1e-6 * Swift.max(1, steps) else {
                throw SchemaError("(max - min) / resolution must be a whole number of steps (it is \(exact))", at: stepAt)
            }
            return .fixed(min: lo, max: hi, step: step, steps: UInt64(steps))
        case "angle": return .angle(bits: try parenthesizedCount("angle bits", range: 1...32))
        case "string": return .string(maxBytes: try parenthesizedCount("maximum byte length", range: 1...65535))
        case "bytes": return .bytes(maxCount: try parenthesizedCount("maximum length", range: 1...65535))
        case "set":
            try expect("<")
            let (union, unionAt) = try identifier("union name")
            references.append((union, unionAt))
            try expect(">")
            return .set(union: union, max: try parenthesizedCount("maximum entity count", range: 1...65535))
        default:
            if let bits = integerWidth(word, prefix: "u") { return .unsigned(bits: bits) }
            if let bits = integerWidth(word, prefix: "i") { return .signed(bits: bits) }
            if word.first == "u" || word.first == "i", Int(word.dropFirst()) != nil {
                throw SchemaError("integer widths are 1...64 bits ('\(word)')", at: at)
            }
            references.append((word, at))
            return .named(word)
        }
    }

    private func integerWidth(_ word: String, prefix: Character) -> Int? {
        guard word.first == prefix, let bits = Int(word.dropFirst()), (1...64).contains(bits), String(bits) == word.dropFirst() else { return nil }
        return bits
    }
}
