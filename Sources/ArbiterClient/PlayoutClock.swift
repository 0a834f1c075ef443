/// When a client that draws other ships a fixed delay behind the snapshot stream would have run
/// out of snapshots: the moment its display of remote ships stood still although the server had
/// moved on. The delay is counted from the earliest arrivals seen on the connection (the link's
/// shortest trip, as the web client's playout clock does) and is two snapshot intervals plus a
/// jitter margin, the web client's default. A snapshot that arrives after its tick was due on
/// screen leaves the display frozen on the previous one for more than a snapshot interval.
///
/// A plain value: the session passes arrival times in, no clock is read here.
public struct PlayoutClock: Sendable {
    /// Jitter margin on top of two snapshot intervals.
    public static let jitterMarginNanoseconds: Int64 = 50_000_000

    /// The smallest (arrival − tick × tick length) so far.
    private var offset: Int64?

    public init() {}

    public mutating func reset() {
        offset = nil
    }

    /// Whether the Snapshot of `tick`, arriving at `uptime` (ns), came too late for a display
    /// `2 × interval` ticks plus the margin behind the earliest arrivals.
    public mutating func arrivedLate(tick: UInt32, at uptime: UInt64, tickRate: Int, interval: Int) -> Bool {
        guard tickRate > 0 else { return false }
        let tickNanoseconds = 1_000_000_000 / Int64(tickRate)
        let shown = Int64(tick) * tickNanoseconds
        let base = Int64(bitPattern: uptime) - shown
        offset = min(offset ?? base, base)
        let due = offset! + shown + 2 * Int64(interval) * tickNanoseconds + Self.jitterMarginNanoseconds
        return Int64(bitPattern: uptime) > due
    }
}
