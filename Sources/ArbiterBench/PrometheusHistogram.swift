/// One histogram from a Prometheus text exposition, summed over its label sets (every room).
/// Parsed by hand: swift-prometheus only writes the format and no mirrored package reads it.
struct PrometheusHistogram: Sendable {
    /// Cumulative counts by upper bound, ascending; the last is +Inf.
    var buckets: [(le: Double, count: Double)] = []
    var sum = 0.0
    var count = 0.0

    init() {}

    init(parsing text: String, name: String) {
        var byBound: [Double: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name) else { continue }
            let rest = line.dropFirst(name.count)
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            if rest.hasPrefix("_bucket"), let range = rest.range(of: "le=\"") {
                let bound = rest[range.upperBound...].prefix { $0 != "\"" }
                let le = bound == "+Inf" ? Double.infinity : Double(bound) ?? .nan
                guard !le.isNaN else { continue }
                byBound[le, default: 0] += value
            } else if rest.hasPrefix("_sum") {
                sum += value
            } else if rest.hasPrefix("_count") {
                count += value
            }
        }
        buckets = byBound.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// What happened between `earlier` and this scrape.
    func subtracting(_ earlier: PrometheusHistogram) -> PrometheusHistogram {
        var result = PrometheusHistogram()
        result.sum = sum - earlier.sum
        result.count = count - earlier.count
        result.buckets = buckets.map { bucket in
            (bucket.le, bucket.count - (earlier.buckets.first { $0.le == bucket.le }?.count ?? 0))
        }
        return result
    }

    /// Like PromQL's histogram_quantile: linear within the bucket holding the rank. nil if empty.
    func quantile(_ q: Double) -> Double? {
        guard let total = buckets.last?.count, total > 0 else { return nil }
        let rank = q * total
        var lowerBound = 0.0, lowerCount = 0.0
        for bucket in buckets {
            if bucket.count >= rank {
                if bucket.le.isInfinite { return lowerBound }
                let inBucket = bucket.count - lowerCount
                return inBucket <= 0 ? bucket.le : lowerBound + (bucket.le - lowerBound) * (rank - lowerCount) / inBucket
            }
            lowerBound = bucket.le
            lowerCount = bucket.count
        }
        return lowerBound
    }

    /// The upper bound of the highest bucket that got a sample: the most a histogram can say of the max.
    var maxUpperBound: Double? {
        var previous = 0.0
        var highest: Double?
        for bucket in buckets {
            if bucket.count > previous { highest = bucket.le }
            previous = bucket.count
        }
        return highest
    }

    var mean: Double? { count > 0 ? sum / count : nil }
}
