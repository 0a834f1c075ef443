/// Why a message could not be encoded or decoded, and at which bit of the message.
///
/// Decoders see untrusted bytes, so every failure is a value, never a trap: the server turns it
/// into a close code and a reason that names the error (see Protocol/README.md, "Close codes").
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case truncated
        case trailingBytes(Int)
        case nonZeroPadding
        case outOfRange(UInt64)
        case unknownEnumValue(UInt64)
        case tooLong(count: Int, max: Int)
        case invalidUTF8
        case unknownMessageID(UInt8)
        case missingBaseline
        case notANumber
        case overlongVarint
        case entityNotInBaseline(index: UInt32)
        case unsortedEntitySet
        case unknownEntityKind(Int)
        case emptyMessage
    }

    private let kind: Kind
    /// Bit offset from the start of the message where the offending value starts (or where the
    /// encoder was when it refused the value).
    public let bitOffset: Int
    /// The schema path of the offending field, when the generated code knows it.
    public let field: String?

    private init(_ kind: Kind, at bitOffset: Int, field: String? = nil) {
        self.kind = kind
        self.bitOffset = bitOffset
        self.field = field
    }

    public static func truncated(at bit: Int) -> WireError { .init(.truncated, at: bit) }
    public static func trailingBytes(_ count: Int, at bit: Int) -> WireError { .init(.trailingBytes(count), at: bit) }
    public static func nonZeroPadding(at bit: Int) -> WireError { .init(.nonZeroPadding, at: bit) }
    public static func outOfRange(_ raw: UInt64, at bit: Int) -> WireError { .init(.outOfRange(raw), at: bit) }
    public static func unknownEnumValue(_ raw: UInt64, at bit: Int) -> WireError { .init(.unknownEnumValue(raw), at: bit) }
    public static func tooLong(count: Int, max: Int, at bit: Int) -> WireError { .init(.tooLong(count: count, max: max), at: bit) }
    public static func invalidUTF8(at bit: Int) -> WireError { .init(.invalidUTF8, at: bit) }
    public static func unknownMessageID(_ id: UInt8) -> WireError { .init(.unknownMessageID(id), at: 0) }
    public static func missingBaseline(at bit: Int) -> WireError { .init(.missingBaseline, at: bit) }
    public static func notANumber(at bit: Int) -> WireError { .init(.notANumber, at: bit) }
    public static func overlongVarint(at bit: Int) -> WireError { .init(.overlongVarint, at: bit) }
    public static func entityNotInBaseline(index: UInt32, at bit: Int) -> WireError { .init(.entityNotInBaseline(index: index), at: bit) }
    public static func unsortedEntitySet(at bit: Int) -> WireError { .init(.unsortedEntitySet, at: bit) }
    public static func unknownEntityKind(_ kind: Int, at bit: Int) -> WireError { .init(.unknownEntityKind(kind), at: bit) }
    public static let emptyMessage = WireError(.emptyMessage, at: 0)

    /// The same error, labelled with the schema field it happened in (outermost label wins).
    public func inField(_ name: String) -> WireError {
        WireError(kind, at: bitOffset, field: field.map { "\(name).\($0)" } ?? name)
    }

    /// A short machine-friendly name, used as the `kind` label of the protocol-error metric.
    public var code: String {
        switch kind {
        case .truncated: "truncated"
        case .trailingBytes: "trailing_bytes"
        case .nonZeroPadding: "nonzero_padding"
        case .outOfRange: "out_of_range"
        case .unknownEnumValue: "unknown_enum_value"
        case .tooLong: "too_long"
        case .invalidUTF8: "invalid_utf8"
        case .unknownMessageID: "unknown_message_id"
        case .missingBaseline: "missing_baseline"
        case .notANumber: "not_a_number"
        case .overlongVarint: "overlong_varint"
        case .entityNotInBaseline: "entity_not_in_baseline"
        case .unsortedEntitySet: "unsorted_entity_set"
        case .unknownEntityKind: "unknown_entity_kind"
        case .emptyMessage: "empty_message"
        }
    }

    /// True for errors in the bytes themselves being invalid text (close code 1007 rather than 1002).
    public var isInvalidPayloadData: Bool { kind == .invalidUTF8 }

    public var description: String {
        let what: String
        switch kind {
        case .truncated: what = "truncated message"
        case .trailingBytes(let n): what = "\(n) trailing byte(s) after the message"
        case .nonZeroPadding: what = "non-zero padding bits"
        case .outOfRange(let raw): what = "value \(raw) out of range"
        case .unknownEnumValue(let raw): what = "unknown enum value \(raw)"
        case .tooLong(let count, let max): what = "length \(count) over the limit of \(max)"
        case .invalidUTF8: what = "invalid UTF-8"
        case .unknownMessageID(let id): what = "unknown message id \(id)"
        case .missingBaseline: what = "delta against a baseline the decoder does not have"
        case .notANumber: what = "value is not a finite number"
        case .overlongVarint: what = "varuint too long for its width"
        case .entityNotInBaseline(let index): what = "entity slot \(index) is not in the baseline"
        case .unsortedEntitySet: what = "entity set not sorted by slot index"
        case .unknownEntityKind(let k): what = "unknown entity kind \(k)"
        case .emptyMessage: what = "empty message"
        }
        let place = field.map { " in \($0)" } ?? ""
        return "\(what)\(place) at bit \(bitOffset)"
    }
}
