import NIOCore

/// Drives the Input sends of every session on one event loop from one timer, so a thousand bots
/// cost one wake-up per tick per loop rather than one each. Deadlines are absolute (start + n ×
/// interval) so the rate does not drift; ticks missed while the loop was busy are skipped, not
/// replayed in a burst. Event loop only.
public final class SessionTicker {
    public let eventLoop: any EventLoop
    public private(set) var interval: TimeAmount
    private var sessions: [ArbiterSession] = []
    private var scheduled: Scheduled<Void>?
    private var origin = NIODeadline.now()
    private var tickCount: Int64 = 0
    /// Ticks the loop was too late for.
    public private(set) var skippedTicks = 0

    public init(eventLoop: any EventLoop, tickRate: Int) {
        self.eventLoop = eventLoop
        self.interval = .nanoseconds(1_000_000_000 / Int64(max(1, tickRate)))
    }

    /// Changes the rate (e.g. to the server's tick rate from Welcome).
    public func setTickRate(_ tickRate: Int) {
        self.eventLoop.assertInEventLoop()
        let interval = TimeAmount.nanoseconds(1_000_000_000 / Int64(max(1, tickRate)))
        guard interval != self.interval else { return }
        self.interval = interval
        if self.scheduled != nil {
            self.scheduled?.cancel()
            self.scheduled = nil
            self.startTimer()
        }
    }

    func add(_ session: ArbiterSession) {
        self.eventLoop.assertInEventLoop()
        guard session.tickerIndex == nil else { return }
        session.tickerIndex = self.sessions.count
        self.sessions.append(session)
        if self.scheduled == nil { self.startTimer() }
    }

    func remove(_ session: ArbiterSession) {
        self.eventLoop.assertInEventLoop()
        guard let index = session.tickerIndex else { return }
        let last = self.sessions.removeLast()
        if index < self.sessions.count {
            self.sessions[index] = last
            last.tickerIndex = index
        }
        session.tickerIndex = nil
        if self.sessions.isEmpty {
            self.scheduled?.cancel()
            self.scheduled = nil
        }
    }

    private func startTimer() {
        self.origin = .now()
        self.tickCount = 0
        self.scheduleNext()
    }

    private func scheduleNext() {
        self.tickCount += 1
        var deadline = self.origin + .nanoseconds(self.interval.nanoseconds * self.tickCount)
        let now = NIODeadline.now()
        if deadline < now {
            let behind = (now - deadline).nanoseconds / self.interval.nanoseconds + 1
            self.skippedTicks += Int(behind)
            self.tickCount += behind
            deadline = self.origin + .nanoseconds(self.interval.nanoseconds * self.tickCount)
        }
        self.scheduled = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.fire()
        }
    }

    private func fire() {
        let now = NIODeadline.now()
        // Sessions may leave during the loop (a send failing closes nothing synchronously, but a
        // delegate could stop its session), so iterate by index over the live array.
        var index = 0
        while index < self.sessions.count {
            let session = self.sessions[index]
            session.tick(now: now)
            if index < self.sessions.count, self.sessions[index] === session { index += 1 }
        }
        if !self.sessions.isEmpty { self.scheduleNext() } else { self.scheduled = nil }
    }
}
