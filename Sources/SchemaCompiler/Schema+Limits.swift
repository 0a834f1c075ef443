/// The bounds a schema puts on its values, named once for both generators so the Swift and
/// JavaScript constants can never disagree (Protocol/README.md, 3.1 "Generated limits").
///
/// A field `f` of a struct, entity or message yields constants named after it: its range or
/// maximum count as `f`, and `fResolution` (fixed) or `fBits` (angle) beside it; the bounds of an
/// array's elements add `Element` (`fElement`). An alias yields the same constants under
/// role names: `range`, `maxLength` (string, UTF-8 bytes), `maxCount` (bytes, arrays, sets),
/// `resolution`, `bits` (`elementMaxLength` and so on for its elements).
public struct Limit: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// `int(MIN..MAX)`, and `uN`/`iN` whose width is not the width of the type that holds them.
        case integers(min: Int64, max: Int64)
        /// `fixed(MIN, MAX, RES)`: the values the wire carries (others clamp to the ends).
        case reals(min: Double, max: Double)
        /// `fixed`'s RES.
        case resolution(Double)
        /// `angle(N)`'s N.
        case bits(Int)
        /// `string(MAX)`: UTF-8 bytes.
        case length(Int)
        /// `bytes(MAX)`, `T[MAX]`, `set<U>(MAX)`: elements.
        case count(Int)
    }

    /// Where the bound sits: the field's name, then `element` for each array level.
    public var path: [String]
    public var value: Value
    /// The bounded type itself (not the optional or array around it).
    public var type: FieldType
    /// The type as the schema spells it, for the generated doc comments.
    public var spelling: String { type.canonical }

    /// The constant's name among its type's `Limits`: `health`, `xResolution`, `namesElement`.
    public var fieldConstantName: String { Self.camel(path + roleSuffix(forAlias: false)) }

    /// The constant's name in an alias's namespace: `range`, `maxLength`, `elementMaxCount`.
    public var aliasConstantName: String { Self.camel(path + roleSuffix(forAlias: true)) }

    private func roleSuffix(forAlias: Bool) -> [String] {
        switch value {
        case .integers, .reals: forAlias ? ["range"] : []
        case .length: forAlias ? ["maxLength"] : []
        case .count: forAlias ? ["maxCount"] : []
        case .resolution: ["resolution"]
        case .bits: ["bits"]
        }
    }

    private static func camel(_ words: [String]) -> String {
        guard let first = words.first else { return "" }
        return first + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

extension FieldType {
    /// Integer widths that the generated Swift stores in a type of exactly that width: the type
    /// itself is the bound, so they get no constant.
    static let storageWidths: Set<Int> = [8, 16, 32, 64]

    /// Every bound of a value of this type, `path` naming where it sits. Optionals have their
    /// inner type's bounds; named types (structs, entities, enums) carry their own.
    public func limits(at path: [String]) -> [Limit] {
        switch self {
        case .ranged(let min, let max):
            return [Limit(path: path, value: .integers(min: min, max: max), type: self)]
        case .unsigned(let bits) where !Self.storageWidths.contains(bits):
            return [Limit(path: path, value: .integers(min: 0, max: Int64(bitPattern: (UInt64(1) << UInt64(bits)) &- 1)), type: self)]
        case .signed(let bits) where !Self.storageWidths.contains(bits):
            let half = Int64(1) << Int64(bits - 1)
            return [Limit(path: path, value: .integers(min: -half, max: half - 1), type: self)]
        case .fixed(let min, let max, let step, _):
            return [
                Limit(path: path, value: .reals(min: min, max: max), type: self),
                Limit(path: path, value: .resolution(step), type: self),
            ]
        case .angle(let bits): return [Limit(path: path, value: .bits(bits), type: self)]
        case .string(let max): return [Limit(path: path, value: .length(max), type: self)]
        case .bytes(let max), .set(_, let max): return [Limit(path: path, value: .count(max), type: self)]
        case .array(let inner, let max):
            return [Limit(path: path, value: .count(max), type: self)] + inner.limits(at: path + ["element"])
        case .optional(let inner): return inner.limits(at: path)
        case .bool, .unsigned, .signed, .varuint, .named: return []
        }
    }
}

extension Schema {
    /// The bounds of a struct's, entity's or message's fields, in field order.
    public static func limits(of fields: [Field]) -> [Limit] {
        fields.flatMap { $0.type.limits(at: [$0.name]) }
    }
}
