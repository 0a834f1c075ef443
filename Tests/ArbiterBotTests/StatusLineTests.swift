import ArenaBot
import NIOCore
import Testing

@testable import ArbiterBotKit

@Suite("Small pieces of arbiter-bot")
struct StatusLineTests {
    @Test("mixed behaviour gives every kind of bot")
    func mixed() {
        let kinds = (0..<8).map { FleetConfiguration.Behavior.mixed.brain(forBot: $0) }
        #expect(Set(kinds.map(\.rawValue)) == ["fight", "wander", "idle"])
        #expect(kinds.filter { $0 == .fight }.count == 4)
        #expect(FleetConfiguration.Behavior.idle.brain(forBot: 3) == .idle)
    }

    @Test("process CPU time grows with work")
    func cpu() {
        let before = ProcessCPU.usedSeconds()
        var x = 0.0
        for i in 0..<20_000_000 { x += Double(i & 7) }
        #expect(x > 0)
        #expect(ProcessCPU.usedSeconds() > before)
    }

    @Test("the status line: rates over the interval, fixed decimals, latency in milliseconds")
    func statusLine() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let previous = FleetSample(at: start, cpuSeconds: 1, loops: [])
        var current = FleetSample(at: start + .seconds(2), cpuSeconds: 1.5, loops: [])
        current.snapshots = 62
        current.transport.wireBytesIn = 5_123
        current.transport.wireBytesOut = 260
        current.intervalAck.record(.microseconds(1_500))
        #expect(
            StatusLine.format(previous: previous, current: current, bots: 4)
                == "connected 0/4  snap/s 31  in 2.6 kB/s  out 0.1 kB/s  ack p50 1.5ms p99 1.5ms  cpu 25%  errors 0"
        )
        #expect(StatusLine.fixed(-1.26, 1) == "-1.3")
        #expect(StatusLine.fixed(12.3456, 2) == "12.35")
        #expect(StatusLine.fixed(7, 0) == "7")
        #expect(StatusLine.fixed(.infinity, 1) == "-")
    }
}
