import ArbiterServer
import Testing

@Suite struct TickSchedulerTests {
    let second: Int64 = 1_000_000_000

    @Test func deadlinesAreAbsoluteAndExactAt60Hz() {
        var scheduler = TickScheduler(tickRate: 60, start: 5_000)
        var deadlines: [Int64] = []
        var now: Int64 = 5_000
        while deadlines.count < 61 {
            switch scheduler.next(now: now) {
            case .run(let tick):
                #expect(tick.lateness == now - tick.deadline)
                deadlines.append(tick.deadline)
                now += 1_000  // the tick takes 1 µs
            case .sleep(let until):
                #expect(until > now)
                now = until
            }
        }
        // 60 ticks later is exactly one second later: no accumulated rounding.
        #expect(deadlines[60] - deadlines[0] == second)
        #expect(deadlines[1] - deadlines[0] == 16_666_666)
        #expect(scheduler.overruns == 0 && scheduler.skipped == 0)
    }

    @Test func sleepsUntilTheNextDeadlineAndMeasuresLateness() {
        var scheduler = TickScheduler(tickRate: 10, start: 0)
        #expect(scheduler.next(now: 0) == .run(.init(index: 0, deadline: 0, lateness: 0)))
        #expect(scheduler.next(now: 1) == .sleep(until: 100_000_000))
        #expect(scheduler.next(now: 100_000_300) == .run(.init(index: 1, deadline: 100_000_000, lateness: 300)))
    }

    @Test func catchesUpBackToBackButNoMoreThanTheCap() {
        var scheduler = TickScheduler(tickRate: 10, start: 0, maxCatchUp: 3)
        _ = scheduler.next(now: 0)
        // Stalled for 1.05 s: deadlines 1...10 have passed.
        let now = 1_050_000_000 as Int64
        var ran: [TickScheduler.Tick] = []
        while case .run(let tick) = scheduler.next(now: now) { ran.append(tick) }
        // Only the newest deadline plus 3 catch-up ticks run; 6 deadlines are skipped.
        #expect(ran.map(\.deadline) == [700_000_000, 800_000_000, 900_000_000, 1_000_000_000])
        #expect(ran.map(\.index) == [1, 2, 3, 4])
        #expect(scheduler.skipped == 6)
        #expect(scheduler.next(now: now) == .sleep(until: 1_100_000_000))
    }

    @Test func countsOverrunsWhenATickEndsPastTheNextDeadline() {
        var scheduler = TickScheduler(tickRate: 100, start: 0)
        _ = scheduler.next(now: 0)
        let early = scheduler.finished(now: 9_000_000)
        #expect(!early)
        _ = scheduler.next(now: 10_000_000)
        let late = scheduler.finished(now: 25_000_000)
        #expect(late)
        #expect(scheduler.overruns == 1)
        // Late by 1.5 periods: the due tick runs at once, 5 ms late.
        #expect(scheduler.next(now: 25_000_000) == .run(.init(index: 2, deadline: 20_000_000, lateness: 5_000_000)))
    }
}
