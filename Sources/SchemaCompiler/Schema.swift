/// A parsed and checked schema: the single description of the wire that both code
/// generators and the schema hash read.
public struct Schema: Sendable {
    public var name: String
    public var version: Int
    public var declarations: [Declaration]

    public func declaration(named name: String) -> Declaration? {
        declarations.first { $0.name == name }
    }

    public var messages: [Message] {
        declarations.compactMap { if case .message(let m) = $0 { m } else { nil } }
    }

    public func messages(to side: Direction) -> [Message] {
        messages.filter { $0.direction == side || $0.direction == .both }
    }
}

public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}

/// The receiver of a message: `client->server` messages go to the server.
public enum Direction: String, Sendable {
    case server = "client->server"
    case client = "server->client"
    case both
}

public indirect enum FieldType: Sendable, Hashable {
    case bool
    case unsigned(bits: Int)
    case signed(bits: Int)
    case ranged(min: Int64, max: Int64)
    /// `steps` is `(max - min) / step`, an integer the validator checked.
    case fixed(min: Double, max: Double, step: Double, steps: UInt64)
    case angle(bits: Int)
    case varuint(width: Int)
    case string(maxBytes: Int)
    case bytes(maxCount: Int)
    case optional(FieldType)
    case array(FieldType, max: Int)
    case set(union: String, max: Int)
    /// A struct, entity, enum or union declared in the schema (aliases are resolved away).
    case named(String)

    /// The fewest bits that hold every integer in 0...n.
    public static func bitsFor(_ n: UInt64) -> Int { n == 0 ? 0 : 64 - n.leadingZeroBitCount }
}

public struct Field: Sendable {
    public var name: String
    public var type: FieldType
    /// Coded as the difference from the baseline's value in delta messages (counters).
    public var diff: Bool
    public var location: SourceLocation
}

public struct EnumCase: Sendable {
    public var name: String
    public var value: UInt64
}

public struct Message: Sendable {
    public var name: String
    public var id: Int
    public var direction: Direction
    public var isDelta: Bool
    public var fields: [Field]
}

public enum Declaration: Sendable {
    case alias(name: String, type: FieldType)
    case enumeration(name: String, cases: [EnumCase])
    case structure(name: String, fields: [Field])
    case entity(name: String, fields: [Field])
    case union(name: String, members: [String])
    case message(Message)

    public var name: String {
        switch self {
        case .alias(let n, _), .enumeration(let n, _), .structure(let n, _), .entity(let n, _), .union(let n, _): n
        case .message(let m): m.name
        }
    }
}

extension Schema {
    public func enumBits(_ name: String) -> Int {
        guard case .enumeration(_, let cases)? = declaration(named: name) else { return 0 }
        return FieldType.bitsFor(cases.map(\.value).max() ?? 0)
    }

    public func unionMembers(_ name: String) -> [String] {
        guard case .union(_, let members)? = declaration(named: name) else { return [] }
        return members
    }
}
