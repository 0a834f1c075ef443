/// Counters from a Prometheus text exposition, each summed over its label sets, for the
/// server's input counters in the netcode benchmark.
enum PrometheusCounters {
    /// The sum of every sample of `name` (with any labels); nil when the exposition has none, so
    /// a counter the server does not export yet is told apart from one at zero.
    static func sum(_ name: String, in text: String) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == " " || rest.first == "{",
                  let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            total = (total ?? 0) + value
        }
        return total
    }
}
