import NIOCore

/// A log-linear histogram of durations in nanoseconds with fixed memory (4 KiB) and constant-time
/// recording, for p50/p99/max of input→ack latency, snapshot gaps and connect times.
///
/// Each power of two is split into 32 linear buckets, so a reported percentile is within about
/// 1.6 % of the true value; values below 32 ns are exact and values above about 68 s land in the
/// top bucket (min, max and mean stay exact). Not thread-safe: keep one per event loop and `merge`.
public struct LatencyHistogram: Sendable {
    private static let subBucketBits = 5
    private static let subBuckets = 1 << subBucketBits
    private static let maxExponent = 35
    static let bucketCount = (maxExponent - subBucketBits + 2) * subBuckets

    private var counts: [UInt32]
    public private(set) var count = 0
    public private(set) var min = UInt64.max
    public private(set) var max: UInt64 = 0
    private var sum: Double = 0

    public init() {
        self.counts = Array(repeating: 0, count: Self.bucketCount)
    }

    public mutating func record(nanoseconds value: UInt64) {
        self.counts[Self.bucketIndex(value)] &+= 1
        self.count += 1
        self.sum += Double(value)
        if value < self.min { self.min = value }
        if value > self.max { self.max = value }
    }

    public mutating func record(_ duration: TimeAmount) {
        self.record(nanoseconds: UInt64(Swift.max(0, duration.nanoseconds)))
    }

    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        for index in 0..<Self.bucketCount {
            self.counts[index] &+= other.counts[index]
        }
        self.count += other.count
        self.sum += other.sum
        self.min = Swift.min(self.min, other.min)
        self.max = Swift.max(self.max, other.max)
    }

    public mutating func reset() {
        for index in 0..<Self.bucketCount { self.counts[index] = 0 }
        self.count = 0
        self.sum = 0
        self.min = .max
        self.max = 0
    }

    public var mean: Double { self.count == 0 ? 0 : self.sum / Double(self.count) }

    /// The value at percentile `p` (0...100) in nanoseconds: the middle of the bucket holding the
    /// sample of that rank, clamped to the exact min and max; the top rank is the exact max. 0 when empty.
    public func percentile(_ p: Double) -> UInt64 {
        guard self.count > 0 else { return 0 }
        let clamped = Swift.min(Swift.max(p, 0), 100)
        let rank = Swift.max(1, Int((clamped / 100 * Double(self.count)).rounded(.up)))
        if rank >= self.count { return self.max }
        var seen = 0
        for index in 0..<Self.bucketCount {
            seen += Int(self.counts[index])
            if seen >= rank {
                let (lower, width) = Self.bucketRange(index)
                let middle = lower + (width - 1) / 2
                return Swift.min(Swift.max(middle, self.min), self.max)
            }
        }
        return self.max
    }

    /// "p50 1.20 ms  p99 3.41 ms  max 5.02 ms  (n=1200)"
    public var summary: String {
        func ms(_ nanoseconds: UInt64) -> String {
            let value = Double(nanoseconds) / 1_000_000
            let hundredths = Int((value * 100).rounded())
            let fraction = hundredths % 100
            return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) ms"
        }
        guard self.count > 0 else { return "no samples" }
        return "p50 \(ms(self.percentile(50)))  p99 \(ms(self.percentile(99)))  max \(ms(self.max))  (n=\(self.count))"
    }

    static func bucketIndex(_ value: UInt64) -> Int {
        if value < UInt64(Self.subBuckets) { return Int(value) }
        let exponent = Swift.min(63 - value.leadingZeroBitCount, Self.maxExponent)
        if exponent == Self.maxExponent, value >> Self.maxExponent > 1 {
            return Self.bucketCount - 1
        }
        let sub = Int((value >> (exponent - Self.subBucketBits)) & UInt64(Self.subBuckets - 1))
        return (exponent - Self.subBucketBits + 1) * Self.subBuckets + sub
    }

    /// Lowest value and width of a bucket.
    static func bucketRange(_ index: Int) -> (lower: UInt64, width: UInt64) {
        if index < Self.subBuckets { return (UInt64(index), 1) }
        let exponent = index / Self.subBuckets + Self.subBucketBits - 1
        let sub = UInt64(index % Self.subBuckets)
        let shift = exponent - Self.subBucketBits
        return ((UInt64(Self.subBuckets) + sub) << shift, 1 << shift)
    }
}
