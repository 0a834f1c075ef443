import Testing
@testable import Arena

/// The pacer against a model of the server's input buffer (Protocol/README.md §5.1: one Input a
/// tick while at most T = 3 wait, a catch-up above that, a hold when none is there), a Snapshot
/// every tick, and the reports coming back `reportLag` ticks later.
@Suite struct InputPacerTests {
    struct Run {
        var waitingAfterTick: [Int] = []
        /// The server ticks at which it held.
        var heldAt: [Int] = []
        var sent = 0
        var maxDueAtOnce = 0
        /// Ticks each Input waited on the server: tick taken − arrival.
        var waits: [Double] = []
    }

    /// A client and a server model, kept across calls so a test can change the link midway.
    struct Model {
        var pacer = InputPacer(reportsPerSecond: 60)
        var arrivals: [Double] = []
        var lastArrival = -1.0
        var taken = 0
        var reports: [(at: Int, waiting: Int, held: Bool, ack: UInt32, next: UInt32)] = []
        var tick = 0
        let reportLag: Int

        init(initialBacklog: Int = 0, reportLag: Int = 6) {
            arrivals = Array(repeating: -1, count: initialBacklog)
            self.reportLag = reportLag
        }

        /// `ticks` ticks. Inputs leave at the client's ticks (time k, in ticks) and arrive
        /// `delay(k)` later, in order; the server ticks at k + 0.5.
        mutating func run(ticks: Int, delay: (Int) -> Double = { _ in 0.2 }) -> Run {
            var run = Run()
            for _ in 0..<ticks {
                let k = tick
                tick += 1
                while let first = reports.first, first.at <= k {
                    pacer.observe(inputBuffer: first.waiting, ackSeq: first.ack, held: first.held, nextSeq: first.next)
                    reports.removeFirst()
                }
                let due = pacer.inputsDue()
                run.maxDueAtOnce = max(run.maxDueAtOnce, due)
                for _ in 0..<due {
                    lastArrival = max(lastArrival, Double(k) + delay(k))
                    arrivals.append(lastArrival)
                    run.sent += 1
                }
                let now = Double(k) + 0.5
                let waiting = arrivals[taken...].prefix { $0 <= now }.count
                let take: Int
                if waiting == 0 {
                    take = 0
                } else if waiting - 1 <= 3 {
                    take = 1
                } else {
                    take = min(waiting, 1 + min(3, 1 + (waiting - 1 - 3) / 3))
                }
                for i in taken..<(taken + take) { run.waits.append(now - arrivals[i]) }
                taken += take
                if take == 0 { run.heldAt.append(k) }
                run.waitingAfterTick.append(waiting - take)
                // seq n is the n-th Input: the server acknowledges `taken`, the next is arrivals + 1.
                reports.append((k + reportLag, waiting - take, take == 0, UInt32(taken), UInt32(arrivals.count + 1)))
            }
            return run
        }
    }

    @Test func givesUpABacklogItDoesNotNeed() {
        // Three Inputs queued before the first tick: three ticks of latency on every Input.
        var model = Model(initialBacklog: 3)
        let start = model.run(ticks: 60)
        #expect(start.waitingAfterTick.prefix(5).allSatisfy { $0 >= 3 })
        let later = model.run(ticks: 60 * 10)
        // Two seconds of reports, then the surplus is skipped: from then on nothing waits past
        // its tick and the server never holds.
        #expect(later.waitingAfterTick.suffix(60 * 6).allSatisfy { $0 == 0 })
        #expect(start.heldAt.isEmpty && later.heldAt.isEmpty)
        #expect(later.waits.suffix(60 * 6).allSatisfy { $0 < 1 })
        #expect(model.pacer.skips == 3)
        #expect(start.maxDueAtOnce <= 1 && later.maxDueAtOnce <= 1)
    }

    @Test func aLateLinkCostsOneHoldPerTickOfLead() {
        // Inputs arrive 0.8 tick after they leave: too late for the tick at k + 0.5. The hold
        // itself is the tick of lead: the late Input is taken a tick later, and so is every one
        // after it. Nothing is sent twice.
        var model = Model()
        let run = model.run(ticks: 60 * 10, delay: { _ in 0.8 })
        #expect(run.heldAt.count == 1)
        #expect(run.maxDueAtOnce == 1)
        #expect(run.waitingAfterTick.allSatisfy { $0 <= 1 })
        // And it stays settled: the one spare Input is needed, every tick.
        let settled = model.run(ticks: 60 * 10, delay: { _ in 0.8 })
        #expect(settled.heldAt.isEmpty)
        #expect(settled.waits.allSatisfy { $0 < 1 })
    }

    @Test func aStallIsCaughtUpAndItsLeadGivenBack() {
        var model = Model()
        _ = model.run(ticks: 120)
        // 200 ms (12 ticks) in which nothing arrives, then everything at once.
        let stall = model.run(ticks: 60) { k in (120..<132).contains(k) ? Double(132 - k) + 0.2 : 0.2 }
        #expect(stall.heldAt.count >= 10)
        #expect(stall.maxDueAtOnce <= 1)
        // The server catches up, the pacer gives the surplus back: after ten seconds Inputs
        // wait less than a tick again.
        let after = model.run(ticks: 60 * 10)
        #expect(after.waits.suffix(60 * 3).allSatisfy { $0 < 1 })
        #expect(after.heldAt.isEmpty)
    }

    @Test func jitterKeepsTheLeadItNeedsAndNoMore() {
        // Every 30th Input is 1.5 ticks late: the lead grows until those make it in time.
        var model = Model()
        let jittery = model.run(ticks: 60 * 20) { k in k % 30 == 0 ? 1.5 : 0.1 }
        #expect(jittery.heldAt.filter { $0 >= 60 * 10 }.isEmpty, "held at \(jittery.heldAt)")
        // Then a clean link: the lead it no longer needs is given back within a few windows.
        let clean = model.run(ticks: 60 * 10)
        #expect(clean.waits.suffix(60 * 3).allSatisfy { $0 < 1 })
        #expect(clean.heldAt.isEmpty)
    }

    @Test func sendsOneInputPerServerTickOnAverage() {
        var model = Model(initialBacklog: 2)
        let run = model.run(ticks: 6_000) { k in Double(k % 7) * 0.2 }
        // Over a long run the client sends what the server takes: pacing only moves Inputs in time.
        #expect(abs(run.sent + 2 - 6_000) <= 6)
    }

    @Test func heldTicksCountsAsHolds() {
        var pacer = InputPacer(reportsPerSecond: 30)
        pacer.observe(inputBuffer: 0, ackSeq: 10, heldTicks: 4, nextSeq: 12)
        #expect(pacer.holds == 0)
        pacer.observe(inputBuffer: 0, ackSeq: 11, heldTicks: 4, nextSeq: 13)
        #expect(pacer.holds == 0)
        pacer.observe(inputBuffer: 0, ackSeq: 11, heldTicks: 5, nextSeq: 14)
        #expect(pacer.holds == 1)
        // A hold sends nothing extra: the late Input already is a tick of lead.
        #expect(pacer.inputsDue() == 1)
        pacer.observe(inputBuffer: 1, ackSeq: 12, heldTicks: 6, nextSeq: 15)
        #expect(pacer.holds == 2)
    }

    @Test func aHiccupCostsOneHoldAndOneTickForAWindow() {
        // A clean link where one Input is 1.5 ticks late: one hold, which leaves one Input
        // waiting after each tick (not two) until a window of reports has shown it is spare.
        var model = Model()
        _ = model.run(ticks: 120)
        let hiccup = model.run(ticks: 60 * 5) { k in k == 150 ? 1.5 : 0.2 }
        #expect(hiccup.heldAt.count == 1)
        #expect(hiccup.waitingAfterTick.allSatisfy { $0 <= 1 })
        #expect(hiccup.maxDueAtOnce == 1)
        #expect(model.pacer.skips == 1)
        #expect(hiccup.waits.suffix(60).allSatisfy { $0 < 1 })
    }
}
