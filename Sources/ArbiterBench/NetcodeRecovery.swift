import ArbiterClient

/// How long after an outage ships move smoothly again, from the bots' event timeline: the
/// first moment after the link's return from which a whole second has at most one disturbance
/// among all bots and snapshots arrive at at least half their rate of the 5 s before the
/// outage. Own ships are judged by corrections, remote ships by freezes, holds and jumps. In 100 ms
/// steps; nil when that does not happen within 5 s (or the timeline does not cover it). The
/// bar is absolute, not the rate before the outage: a link that is already rough never
/// "recovers".
public struct NetcodeRecovery: Sendable, Equatable {
    public var ownMs: Double?
    public var remoteMs: Double?

    init(ownMs: Double?, remoteMs: Double?) {
        self.ownMs = ownMs
        self.remoteMs = remoteMs
    }

    public init(timeline: EventTimeline, outage: Range<UInt64>) {
        ownMs = Self.recovery(timeline, outage: outage, kinds: [.correction])
        remoteMs = Self.recovery(timeline, outage: outage, kinds: [.freeze, .hold, .jump])
    }

    static func recovery(_ timeline: EventTimeline, outage: Range<UInt64>, kinds: [EventTimeline.Kind]) -> Double? {
        let window = 10
        let first = timeline.bucket(at: outage.lowerBound)
        let back = timeline.bucket(at: outage.upperBound)
        let before = max(0, first - 50)..<first
        guard !before.isEmpty, back >= 0 else { return nil }
        func events(_ bucket: Int) -> Int { kinds.reduce(0) { $0 + timeline.count($1, bucket: bucket) } }
        let snapshotsBefore = Double(before.reduce(0) { $0 + timeline.count(.snapshot, bucket: $1) }) / Double(before.count)
        let allowed = 1
        for start in back..<(back + 50) {
            guard start + window <= timeline.buckets else { return nil }
            let span = start..<(start + window)
            let disturbances = span.reduce(0) { $0 + events($1) }
            let flowing = span.allSatisfy { Double(timeline.count(.snapshot, bucket: $0)) >= snapshotsBefore / 2 }
            if disturbances <= allowed && flowing {
                let startTime = timeline.origin + UInt64(start) * EventTimeline.bucketNanoseconds
                return Double(max(0, Int64(startTime) - Int64(outage.upperBound))) / 1e6
            }
        }
        return nil
    }
}
