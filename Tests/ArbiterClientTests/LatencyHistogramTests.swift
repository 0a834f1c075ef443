import NIOCore
import Testing

@testable import ArbiterClient

@Suite("latency histogram")
struct LatencyHistogramTests {
    @Test("percentiles of a uniform sample are within the bucket resolution")
    func uniform() {
        var histogram = LatencyHistogram()
        for value in 1...100_000 {
            histogram.record(nanoseconds: UInt64(value) * 1_000)  // 1 µs ... 100 ms
        }
        #expect(histogram.count == 100_000)
        #expect(histogram.min == 1_000)
        #expect(histogram.max == 100_000_000)
        for (p, exact) in [(50.0, 50_000_000.0), (99.0, 99_000_000.0), (10.0, 10_000_000.0)] {
            let value = Double(histogram.percentile(p))
            #expect(abs(value - exact) / exact < 0.02, "p\(p) = \(value)")
        }
        #expect(histogram.percentile(100) == 100_000_000)
        #expect(abs(histogram.mean - 50_000_500) < 1)
    }

    @Test("bucket ranges tile the value space without gaps")
    func buckets() {
        var expectedLower: UInt64 = 0
        for index in 0..<LatencyHistogram.bucketCount {
            let (lower, width) = LatencyHistogram.bucketRange(index)
            #expect(lower == expectedLower)
            #expect(LatencyHistogram.bucketIndex(lower) == index)
            #expect(LatencyHistogram.bucketIndex(lower + width - 1) == index)
            expectedLower = lower + width
        }
        #expect(LatencyHistogram.bucketIndex(.max) == LatencyHistogram.bucketCount - 1)
    }

    @Test("merge equals recording everything in one, and reset empties")
    func merge() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        var all = LatencyHistogram()
        for value in stride(from: 100, to: 5_000_000, by: 997) {
            if value % 2 == 0 { a.record(nanoseconds: UInt64(value)) } else { b.record(nanoseconds: UInt64(value)) }
            all.record(.nanoseconds(Int64(value)))
        }
        a.merge(b)
        #expect(a.count == all.count)
        #expect(a.min == all.min)
        #expect(a.max == all.max)
        for p in [1.0, 50, 90, 99, 99.9] {
            #expect(a.percentile(p) == all.percentile(p))
        }
        a.reset()
        #expect(a.count == 0)
        #expect(a.percentile(50) == 0)
        #expect(a.summary == "no samples")
    }

    @Test("summary in milliseconds")
    func summary() {
        var histogram = LatencyHistogram()
        histogram.record(.milliseconds(2))
        #expect(histogram.summary == "p50 2.00 ms  p99 2.00 ms  max 2.00 ms  (n=1)")
    }
}
