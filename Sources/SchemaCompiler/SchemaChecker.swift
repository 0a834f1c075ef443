/// Resolves type aliases and checks what the grammar alone cannot: that names exist and are the
/// right kind of thing, message ids are unique, `diff` sits on counters, and no struct contains
/// itself.
enum SchemaChecker {
    static func check(
        _ schema: Schema, declarationLocations: [String: SourceLocation], references: [(name: String, location: SourceLocation)]
    ) throws(SchemaError) -> Schema {
        for reference in references where schema.declaration(named: reference.name) == nil {
            throw SchemaError("unknown type '\(reference.name)'", at: reference.location)
        }
        var aliases: [String: FieldType] = [:]
        for case .alias(let name, let type) in schema.declarations { aliases[name] = type }

        func resolve(_ type: FieldType, at location: SourceLocation, seen: Set<String> = []) throws(SchemaError) -> FieldType {
            switch type {
            case .named(let name):
                guard let target = aliases[name] else { return type }
                if seen.contains(name) { throw SchemaError("type alias '\(name)' refers to itself", at: location) }
                return try resolve(target, at: location, seen: seen.union([name]))
            case .optional(let inner): return .optional(try resolve(inner, at: location, seen: seen))
            case .array(let inner, let max): return .array(try resolve(inner, at: location, seen: seen), max: max)
            default: return type
            }
        }

        var result = schema
        var messageIDs: [Int: String] = [:]
        for (i, declaration) in schema.declarations.enumerated() {
            let location = declarationLocations[declaration.name] ?? SourceLocation(file: "", line: 0, column: 0)
            func resolveFields(_ fields: [Field], inMessage: Bool) throws(SchemaError) -> [Field] {
                var out: [Field] = []
                for var field in fields {
                    field.type = try resolve(field.type, at: field.location)
                    try checkUse(field.type, in: schema, at: field.location, topLevelOfMessage: inMessage)
                    if field.diff {
                        switch field.type {
                        case .unsigned, .varuint: break
                        default: throw SchemaError("'diff' applies to unsigned counters (uN or varuint) only", at: field.location)
                        }
                    }
                    out.append(field)
                }
                return out
            }
            switch declaration {
            case .alias(let name, let type):
                result.declarations[i] = .alias(name: name, type: try resolve(type, at: location))
            case .enumeration:
                break
            case .structure(let name, let fields):
                result.declarations[i] = .structure(name: name, fields: try resolveFields(fields, inMessage: false))
            case .entity(let name, let fields):
                result.declarations[i] = .entity(name: name, fields: try resolveFields(fields, inMessage: false))
            case .union(let name, let members):
                var seen = Set<String>()
                for member in members {
                    guard case .entity? = schema.declaration(named: member) else {
                        throw SchemaError("union member '\(member)' must be an entity", at: location)
                    }
                    guard seen.insert(member).inserted else { throw SchemaError("'\(member)' appears twice in union '\(name)'", at: location) }
                }
            case .message(var message):
                if let other = messageIDs[message.id] {
                    throw SchemaError("message id \(message.id) is already used by '\(other)'", at: location)
                }
                messageIDs[message.id] = message.name
                message.fields = try resolveFields(message.fields, inMessage: true)
                result.declarations[i] = .message(message)
            }
        }
        try checkNoCycles(result, locations: declarationLocations)
        return result
    }

    private static func checkUse(_ type: FieldType, in schema: Schema, at location: SourceLocation, topLevelOfMessage: Bool) throws(SchemaError) {
        switch type {
        case .named(let name):
            switch schema.declaration(named: name) {
            case .message?: throw SchemaError("'\(name)' is a message, not a type", at: location)
            case .union?: throw SchemaError("a union is used through a set: set<\(name)>(max)", at: location)
            default: break
            }
        case .set(let union, _):
            guard case .union? = schema.declaration(named: union) else { throw SchemaError("set<\(union)> needs a union", at: location) }
            guard topLevelOfMessage else { throw SchemaError("a set may only be a field of a message", at: location) }
        case .optional(let inner), .array(let inner, _):
            if case .set = inner { throw SchemaError("a set may only be a field of a message", at: location) }
            try checkUse(inner, in: schema, at: location, topLevelOfMessage: false)
        default: break
        }
    }

    /// Structs and entities are values: one that contains itself (outside an array or optional,
    /// which are still by value here) could never be encoded in finite bits.
    private static func checkNoCycles(_ schema: Schema, locations: [String: SourceLocation]) throws(SchemaError) {
        func children(_ type: FieldType) -> [String] {
            switch type {
            case .named(let n): [n]
            case .optional(let inner), .array(let inner, _): children(inner)
            default: []
            }
        }
        func fields(of name: String) -> [Field] {
            switch schema.declaration(named: name) {
            case .structure(_, let f)?, .entity(_, let f)?: f
            default: []
            }
        }
        for declaration in schema.declarations {
            var stack = [(declaration.name, [declaration.name])]
            while let (name, path) = stack.popLast() {
                for field in fields(of: name) {
                    for child in children(field.type) {
                        if child == declaration.name {
                            throw SchemaError("'\(declaration.name)' contains itself (\((path + [child]).joined(separator: " -> ")))", at: field.location)
                        }
                        if !path.contains(child) { stack.append((child, path + [child])) }
                    }
                }
            }
        }
    }
}
