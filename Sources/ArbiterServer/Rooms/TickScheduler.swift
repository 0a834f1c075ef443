/// When to run the next tick, as a pure state machine: the caller passes the time in, so every
/// rule is testable without threads or clocks.
///
/// Deadlines are absolute (`start + k * 1 s / rate`, computed exactly, so 60 Hz does not drift
/// by the 2/3 ns a rounded period would lose each tick). A late loop runs the missed ticks
/// back to back, but never more than `maxCatchUp` behind: older deadlines are skipped and
/// counted, so a stall (GC-free as we are, a paused VM still happens) does not turn into a
/// burst of hundreds of ticks.
public struct TickScheduler: Sendable {
    public struct Tick: Sendable, Equatable {
        /// 0, 1, 2, ... one per tick actually run (skipped deadlines do not consume an index).
        public var index: UInt64
        /// The deadline this tick was due at, in the caller's clock (nanoseconds).
        public var deadline: Int64
        /// How late it started: `now - deadline`, never negative.
        public var lateness: Int64

        public init(index: UInt64, deadline: Int64, lateness: Int64) {
            self.index = index
            self.deadline = deadline
            self.lateness = lateness
        }
    }

    public enum Action: Sendable, Equatable {
        case run(Tick)
        case sleep(until: Int64)
    }

    /// Tick rates the scheduler and `TickThread` run (a game may allow fewer, e.g. what its
    /// wire format can carry).
    public static let supportedRates = 1...1000

    public let tickRate: Int
    public let start: Int64
    public let maxCatchUp: Int
    /// Ticks run so far.
    public private(set) var ticksRun: UInt64 = 0
    /// Ticks that ended after the next tick's deadline.
    public private(set) var overruns: UInt64 = 0
    /// Deadlines dropped by the catch-up cap.
    public private(set) var skipped: UInt64 = 0
    /// Index of the next deadline in the absolute schedule.
    private var slot: Int64 = 0

    public init(tickRate: Int, start: Int64, maxCatchUp: Int = 3) {
        precondition(tickRate > 0 && maxCatchUp >= 0)
        self.tickRate = tickRate
        self.start = start
        self.maxCatchUp = maxCatchUp
    }

    /// The deadline of the next tick.
    public var nextDeadline: Int64 { self.deadline(ofSlot: self.slot) }

    /// What to do at `now`: run a tick (consuming its deadline) or sleep until the next one.
    public mutating func next(now: Int64) -> Action {
        let due = self.nextDeadline
        guard now >= due else { return .sleep(until: due) }
        // Deadlines already passed beyond the due one; keep at most `maxCatchUp` of them.
        let behind = self.slots(before: now) - self.slot - 1
        if behind > Int64(self.maxCatchUp) {
            let skip = behind - Int64(self.maxCatchUp)
            self.slot += skip
            self.skipped += UInt64(skip)
        }
        let deadline = self.nextDeadline
        let tick = Tick(index: self.ticksRun, deadline: deadline, lateness: now - deadline)
        self.slot += 1
        self.ticksRun += 1
        return .run(tick)
    }

    /// Reports the end of the tick `next` returned; true (and counted) if it overran, i.e.
    /// ended after the following deadline.
    @discardableResult
    public mutating func finished(now: Int64) -> Bool {
        guard now > self.nextDeadline else { return false }
        self.overruns += 1
        return true
    }

    private func deadline(ofSlot slot: Int64) -> Int64 {
        let rate = Int64(self.tickRate)
        // Split so slot * 1e9 cannot overflow for any realistic uptime.
        return self.start + (slot / rate) * 1_000_000_000 + (slot % rate) * 1_000_000_000 / rate
    }

    /// Number of deadlines at or before `time`.
    private func slots(before time: Int64) -> Int64 {
        let elapsed = time - self.start
        guard elapsed >= 0 else { return 0 }
        let rate = Int64(self.tickRate)
        var count = (elapsed / 1_000_000_000) * rate + (elapsed % 1_000_000_000) * rate / 1_000_000_000
        // Integer division may land one short of an exact deadline; fix up both ways.
        while self.deadline(ofSlot: count) <= time { count += 1 }
        while count > 0, self.deadline(ofSlot: count - 1) > time { count -= 1 }
        return count
    }
}
