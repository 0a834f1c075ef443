/// Why a log could not be read or replayed.
public struct InputLogError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case badMagic
        case unsupportedVersion(UInt8)
        case truncated(offset: Int)
        case badRecord(offset: Int)
        case mapMismatch(expected: String)
        case diverged(tick: UInt32, detail: String)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    static var badMagic: Self { Self(.badMagic) }
    static func unsupportedVersion(_ v: UInt8) -> Self { Self(.unsupportedVersion(v)) }
    static func truncated(offset: Int) -> Self { Self(.truncated(offset: offset)) }
    static func badRecord(offset: Int) -> Self { Self(.badRecord(offset: offset)) }
    static func mapMismatch(expected: String) -> Self { Self(.mapMismatch(expected: expected)) }
    static func diverged(tick: UInt32, detail: String) -> Self { Self(.diverged(tick: tick, detail: detail)) }

    /// Whether the replay ran but produced a different match than the recording.
    public var isDivergence: Bool {
        if case .diverged = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .badMagic: return "not an Arena input log"
        case .unsupportedVersion(let v): return "input log version \(v) is not supported"
        case .truncated(let offset): return "input log ends early at byte \(offset)"
        case .badRecord(let offset): return "input log has an invalid record at byte \(offset)"
        case .mapMismatch(let name): return "the log was recorded on a different map than this \"\(name)\""
        case .diverged(let tick, let detail): return "replay diverged at tick \(tick): \(detail)"
        }
    }
}
