import Histogram
import NIOCore

/// Durations in nanoseconds, for p50/p99/max of input→ack latency, snapshot gaps, round trips
/// and connect times: an HdrHistogram (hdrhistogram-swift) with a fixed range, so recording is
/// constant-time and never allocates.
///
/// Two significant digits: a reported percentile is at most 1 % above the true value (the top of
/// its bucket), values below 256 ns are exact, and `max` is exact. Values above 60 s count as 60 s.
/// Not thread-safe: keep one per event loop and `merge`.
public struct LatencyHistogram: Sendable {
    /// The largest value told apart from others; anything longer is recorded as this.
    public static let highestTrackable: UInt64 = 60_000_000_000

    private var histogram = Histogram<UInt64>(
        highestTrackableValue: Self.highestTrackable,
        numberOfSignificantValueDigits: .two
    )

    public init() {}

    public var count: Int { Int(self.histogram.totalCount) }

    /// The largest value recorded (exact, up to ``highestTrackable``); 0 when empty.
    public var max: UInt64 { self.histogram.maxRecorded }

    public mutating func record(nanoseconds value: UInt64) {
        self.histogram.record(Swift.min(value, Self.highestTrackable))
    }

    public mutating func record(_ duration: TimeAmount) {
        self.record(nanoseconds: UInt64(Swift.max(0, duration.nanoseconds)))
    }

    public mutating func merge(_ other: LatencyHistogram) {
        self.histogram.add(other.histogram)
    }

    public mutating func reset() {
        self.histogram.reset()
    }

    /// The value at percentile `p` (0...100) in nanoseconds: the highest value equivalent to the
    /// sample of that rank, clamped to the recorded range; 100 is the exact max. 0 when empty.
    public func percentile(_ p: Double) -> UInt64 {
        self.histogram.valueAtPercentile(Swift.min(Swift.max(p, 0), 100))
    }
}
