/// Counts of what a loop's sessions saw, in 100 ms buckets of uptime, so a benchmark can tell
/// when things went wrong and when they became smooth again (after an outage, say). Fixed
/// storage, allocated once; events past its end are not counted.
public struct EventTimeline: Sendable {
    public enum Kind: Int, CaseIterable, Sendable {
        /// Own-ship corrections, remote-ship freezes, holds and jumps, snapshots received.
        case correction, freeze, hold, jump, snapshot
    }

    public static let bucketNanoseconds: UInt64 = 100_000_000
    /// Uptime (ns) where bucket 0 starts.
    public let origin: UInt64
    public let buckets: Int
    private var counts: [Int32]

    public init(origin: UInt64, seconds: Int = 300) {
        self.origin = origin
        self.buckets = seconds * 10
        self.counts = Array(repeating: 0, count: buckets * Kind.allCases.count)
    }

    public mutating func record(_ kind: Kind, at uptime: UInt64, count: Int = 1) {
        guard uptime >= origin else { return }
        let bucket = Int((uptime - origin) / Self.bucketNanoseconds)
        guard bucket < buckets else { return }
        counts[bucket * Kind.allCases.count + kind.rawValue] &+= Int32(truncatingIfNeeded: count)
    }

    public func count(_ kind: Kind, bucket: Int) -> Int {
        guard bucket >= 0 && bucket < buckets else { return 0 }
        return Int(counts[bucket * Kind.allCases.count + kind.rawValue])
    }

    /// The bucket holding `uptime`.
    public func bucket(at uptime: UInt64) -> Int {
        uptime >= origin ? Int((uptime - origin) / Self.bucketNanoseconds) : -1
    }

    /// Adds another timeline's counts, bucket by bucket (their origins are taken as equal).
    public mutating func merge(_ other: EventTimeline) {
        for i in 0..<min(counts.count, other.counts.count) { counts[i] &+= other.counts[i] }
    }
}
