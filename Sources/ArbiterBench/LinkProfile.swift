/// The shape of an emulated network link, as the link conditioner (`arbiter-bench link`) and
/// the netcode benchmark apply it to each direction of a TCP stream: round-trip time, normally
/// distributed one-way jitter, segment loss (which stalls the stream, as TCP retransmits), and
/// an optional outage of both directions. Times are in milliseconds, except the outage's start,
/// in seconds since the conditioner started.
public struct LinkProfile: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case clean, wan150, outage
    }

    /// Round-trip time: each direction delays by half of it.
    public var rttMs: Double
    /// Standard deviation of each direction's one-way delay.
    public var jitterMs: Double
    /// Chance that a segment is lost, per direction, in percent.
    public var lossPercent: Double
    /// How long a lost segment with nothing sent behind it holds the stream (a retransmission
    /// timeout; Linux's minimum is 200 ms).
    public var rtoMs = 200.0
    /// Seconds after the conditioner started when both directions stop, if ever.
    public var outageAtSeconds: Double?
    /// How long an outage lasts.
    public var outageSeconds = 2.0
    /// Reads are cut into segments of at most this many bytes (an Ethernet TCP segment's payload
    /// with timestamps); each segment has its own delay and loss draw.
    public var segmentBytes = 1448

    public init(rttMs: Double, jitterMs: Double, lossPercent: Double) {
        self.rttMs = rttMs
        self.jitterMs = jitterMs
        self.lossPercent = lossPercent
    }

    /// The reference link: 150 ms RTT, σ 20 ms jitter and 1 % loss each way.
    public static let wan150 = LinkProfile(rttMs: 150, jitterMs: 20, lossPercent: 1)
    /// Loopback as it is.
    public static let clean = LinkProfile(rttMs: 0, jitterMs: 0, lossPercent: 0)

    public static func named(_ name: Name) -> LinkProfile {
        switch name {
        case .clean: return .clean
        case .wan150: return .wan150
        case .outage:
            var profile = LinkProfile.wan150
            profile.outageAtSeconds = 10
            return profile
        }
    }

    /// Whether the conditioner needs to hold anything at all.
    public var isClean: Bool { rttMs <= 0 && jitterMs <= 0 && lossPercent <= 0 && outageAtSeconds == nil }

    /// The outage window in nanoseconds since the conditioner started, if any.
    public var outageNanoseconds: Range<Int64>? {
        guard let at = outageAtSeconds, outageSeconds > 0 else { return nil }
        let start = Int64(at * 1e9)
        return start..<(start + Int64(outageSeconds * 1e9))
    }

    public var summary: String {
        var text = "RTT \(f(rttMs, 0)) ms, jitter σ \(f(jitterMs, 0)) ms, loss \(f(lossPercent, 1)) % each way"
        if let at = outageAtSeconds { text += ", outage \(f(outageSeconds, 1)) s at \(f(at, 1)) s" }
        return text
    }
}
