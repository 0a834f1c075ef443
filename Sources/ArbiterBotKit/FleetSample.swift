import ArbiterClient
import NIOCore

/// The whole fleet at one moment: the loops' samples summed, with the wall clock and CPU time.
public struct FleetSample: Sendable {
    public var at: NIODeadline
    public var cpuSeconds: Double
    var counters = FleetCounters()
    public var transport = WebSocketStatistics()
    public var snapshots = 0
    public var snapshotsMissed = 0
    public var inputs = 0
    public var decodeErrors = 0
    /// Since the previous sample.
    public var intervalAck = LatencyHistogram()
    public var intervalGap = LatencyHistogram()
    /// Since the start.
    public var ack = LatencyHistogram()
    public var gap = LatencyHistogram()
    public var roundTrip = LatencyHistogram()
    public var skippedTicks = 0
    /// Own-ship corrections over the seconds ships were alive; remote-ship freezes, holds and jumps.
    public var netcode = NetcodeCounts()
    /// Those events and snapshots in 100 ms buckets (nil when no loop reported).
    public var timeline: EventTimeline?

    init(at: NIODeadline, cpuSeconds: Double, loops: [LoopSample]) {
        self.at = at
        self.cpuSeconds = cpuSeconds
        for loop in loops {
            netcode += loop.netcode
            if timeline == nil { timeline = loop.timeline } else { timeline!.merge(loop.timeline) }
            counters.add(loop.counters)
            transport += loop.transport
            snapshots += loop.snapshots
            snapshotsMissed += loop.snapshotsMissed
            inputs += loop.inputs
            decodeErrors += loop.decodeErrors
            intervalAck.merge(loop.intervalAck)
            intervalGap.merge(loop.intervalGap)
            ack.merge(loop.ackTotal)
            gap.merge(loop.gapTotal)
            roundTrip.merge(loop.roundTrip)
            skippedTicks += loop.skippedTicks
        }
    }

    public var connected: Int { counters.connected }
    public var joinedBots: Int { counters.joinedBots }
    public var failedConnects: Int { counters.failedConnects }
    public var protocolErrors: Int { counters.protocolErrors + decodeErrors }
    public var disconnects: [String: Int] { counters.disconnects }
    public var unexpectedDisconnects: Int { counters.disconnects.values.reduce(0, +) }
    public var kicks: [String: Int] { counters.kicks }
    public var botSeconds: Double { Double(counters.playedNanoseconds) / 1e9 }
    public var firstError: String? { counters.firstError }
    public var errors: Int { failedConnects + protocolErrors + unexpectedDisconnects }

    /// No bot ever joined and each has failed to connect at least once: the server refuses or is
    /// not there, and waiting longer changes nothing (`arbiter-bot` stops with status 1).
    public func nobodyCanConnect(bots: Int) -> Bool {
        joinedBots == 0 && failedConnects >= bots
    }
}
