import Testing

@testable import ArbiterClient

@Suite("When a client's playout of remote ships runs dry")
struct PlayoutClockTests {
    private let ms: UInt64 = 1_000_000

    @Test("snapshots within two intervals plus 50 ms of the earliest arrivals are on time; a stall is late")
    func lateness() {
        var clock = PlayoutClock()
        // 60 Hz, a snapshot every 2 ticks (33.3 ms); the link's shortest trip 75 ms.
        let start: UInt64 = 10_000 * ms
        func arrival(_ k: UInt32, extra: UInt64) -> (UInt32, UInt64) {
            let tick = 100 + 2 * k
            return (tick, start + UInt64(tick) * 16_666_666 + 75 * ms + extra)
        }
        var late: [Bool] = []
        for (k, extra) in [(0, 0), (1, 30), (2, 110), (3, 117), (4, 0), (5, 200), (6, 10)] as [(UInt32, UInt64)] {
            let (tick, at) = arrival(k, extra: extra * ms)
            late.append(clock.arrivedLate(tick: tick, at: at, tickRate: 60, interval: 2))
        }
        // The budget is 2 × 33.3 + 50 = 116.7 ms over the earliest.
        #expect(late == [false, false, false, true, false, true, false])
        clock.reset()
        let afresh = clock.arrivedLate(tick: 500, at: start, tickRate: 60, interval: 2)
        #expect(!afresh, "a new connection starts afresh")
    }
}
