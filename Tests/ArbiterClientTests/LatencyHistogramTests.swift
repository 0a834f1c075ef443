import NIOCore
import Testing

@testable import ArbiterClient

@Suite("latency histogram")
struct LatencyHistogramTests {
    @Test("percentiles of a uniform sample are within 1 % above the exact rank")
    func uniform() {
        var histogram = LatencyHistogram()
        for value in 1...100_000 {
            histogram.record(nanoseconds: UInt64(value) * 1_000)  // 1 µs ... 100 ms
        }
        #expect(histogram.count == 100_000)
        #expect(histogram.max == 100_000_000)
        for (p, exact) in [(10.0, 10_000_000.0), (50.0, 50_000_000.0), (99.0, 99_000_000.0), (99.9, 99_900_000.0)] {
            let value = Double(histogram.percentile(p))
            #expect(value >= exact && (value - exact) / exact < 0.01, "p\(p) = \(value)")
        }
        #expect(histogram.percentile(100) == 100_000_000)
        #expect(histogram.percentile(0) == 1_000)
    }

    @Test("small values are exact: 1...100 ns once each")
    func smallValuesExact() {
        var histogram = LatencyHistogram()
        for value in (1...100).reversed() {
            histogram.record(nanoseconds: UInt64(value))
        }
        #expect(histogram.percentile(1) == 1)
        #expect(histogram.percentile(50) == 50)
        #expect(histogram.percentile(90) == 90)
        #expect(histogram.percentile(99) == 99)
        #expect(histogram.percentile(100) == 100)
        #expect(histogram.percentile(250) == 100)
    }

    @Test("a skewed sample: 99 fast answers and one slow one")
    func tail() {
        var histogram = LatencyHistogram()
        for _ in 0..<99 { histogram.record(.milliseconds(2)) }
        histogram.record(.milliseconds(400))
        let p50 = histogram.percentile(50)
        #expect(p50 >= 2_000_000 && p50 < 2_020_000)
        #expect(histogram.percentile(99) == p50)
        #expect(histogram.percentile(99.5) >= 400_000_000 && histogram.percentile(99.5) <= 400_000_000 * 101 / 100)
        #expect(histogram.max == 400_000_000)
    }

    @Test("values beyond the range count as the top; negative durations as zero")
    func outOfRange() {
        var histogram = LatencyHistogram()
        histogram.record(.hours(2))
        histogram.record(nanoseconds: .max)
        histogram.record(.nanoseconds(-5))
        #expect(histogram.count == 3)
        #expect(histogram.max == LatencyHistogram.highestTrackable)
        #expect(histogram.percentile(100) == LatencyHistogram.highestTrackable)
        #expect(histogram.percentile(10) == 0)
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
        #expect(a.max == all.max)
        for p in [1.0, 50, 90, 99, 99.9] {
            #expect(a.percentile(p) == all.percentile(p))
        }
        a.reset()
        #expect(a.count == 0)
        #expect(a.max == 0)
        #expect(a.percentile(50) == 0)
        #expect(a.percentile(100) == 0)
    }
}
