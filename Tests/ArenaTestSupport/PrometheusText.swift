/// Values from the Prometheus text exposition.
public struct PrometheusText {
    public let lines: [Substring]
    public init(_ text: String) { lines = text.split(separator: "\n") }

    public func value(_ name: String, direction: String? = nil) -> Double? {
        let prefix = direction.map { "\(name){direction=\"\($0)\"}" } ?? name
        for line in lines where line.hasPrefix(prefix + " ") {
            return Double(line.split(separator: " ").last!)
        }
        return nil
    }
}
