import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Drives one `TickScheduler` on a dedicated thread, sleeping to absolute deadlines on the
/// monotonic clock. One thread per room: rooms tick in parallel across cores and a room's
/// world is only ever touched by its own thread, so it needs no lock.
///
/// Timer slack: Linux gives normal threads 50 µs, small against a 7.8 ms period at 128 Hz;
/// `PR_SET_TIMERSLACK` is a variadic `prctl` that Swift cannot call, and it is not needed.
final class TickThread: Sendable {
    private let name: String
    private let tickRate: Int
    private let priority: TickPriority
    private let body: @Sendable (TickScheduler.Tick) -> Void
    private let onStarted: @Sendable (_ applied: TickPriority) -> Void
    private let onFinished: @Sendable (_ overran: Bool, _ skipped: UInt64) -> Void
    private let state = NIOLockedValueBox(State.idle)

    private enum State {
        case idle, running
        /// Asked to stop; the thread resumes the waiters when its loop has ended.
        case stopping(waiters: [CheckedContinuation<Void, Never>])
        case stopped
    }

    /// - Parameters:
    ///   - priority: what the thread asks the scheduler for; `onStarted` gets what it got.
    ///   - body: one tick; runs on the thread.
    ///   - onFinished: after each tick, whether it overran and how many deadlines the
    ///     catch-up cap skipped before it (for metrics).
    init(
        name: String,
        tickRate: Int,
        priority: TickPriority = .normal,
        onStarted: @escaping @Sendable (_ applied: TickPriority) -> Void = { _ in },
        body: @escaping @Sendable (TickScheduler.Tick) -> Void,
        onFinished: @escaping @Sendable (_ overran: Bool, _ skipped: UInt64) -> Void
    ) {
        self.name = name
        self.tickRate = tickRate
        self.priority = priority
        self.onStarted = onStarted
        self.body = body
        self.onFinished = onFinished
    }

    func start() {
        let shouldStart = self.state.withLockedValue { state in
            guard case .idle = state else { return false }
            state = .running
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in self.run() }
        thread.name = self.name
        thread.start()
    }

    /// Asks the loop to stop without waiting: a room registry signals every room first.
    func requestStop() {
        self.state.withLockedValue { state in
            switch state {
            case .idle: state = .stopped
            case .running: state = .stopping(waiters: [])
            case .stopping, .stopped: break
            }
        }
    }

    /// Stops the loop and suspends (never blocking a thread of the cooperative pool) until the
    /// tick in progress has ended: at most one period of sleep plus one tick.
    func stop() async {
        self.requestStop()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = self.state.withLockedValue { state -> Bool in
                guard case .stopping(var waiters) = state else { return true }
                waiters.append(continuation)
                state = .stopping(waiters: waiters)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    /// True once the thread has left its loop for good (or never started and was stopped).
    var isStopped: Bool {
        self.state.withLockedValue { if case .stopped = $0 { true } else { false } }
    }

    private var shouldRun: Bool {
        self.state.withLockedValue { if case .running = $0 { true } else { false } }
    }

    private func run() {
        self.onStarted(self.priority.applyToCurrentThread())
        var scheduler = TickScheduler(tickRate: self.tickRate, start: MonotonicClock.now())
        var reportedSkipped: UInt64 = 0
        while self.shouldRun {
            switch scheduler.next(now: MonotonicClock.now()) {
            case .sleep(let deadline):
                MonotonicClock.sleep(until: deadline)
            case .run(let tick):
                self.body(tick)
                let overran = scheduler.finished(now: MonotonicClock.now())
                self.onFinished(overran, scheduler.skipped - reportedSkipped)
                reportedSkipped = scheduler.skipped
            }
        }
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            defer { state = .stopped }
            if case .stopping(let waiters) = state { return waiters }
            return []
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// CLOCK_MONOTONIC in nanoseconds, and absolute sleeps on it.
enum MonotonicClock {
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Sleeps to an absolute deadline: no drift from the time spent computing the sleep.
    static func sleep(until deadline: Int64) {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        #if canImport(Glibc)
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
        #else
        let remaining = deadline - now()
        if remaining > 0 { usleep(UInt32(remaining / 1000)) }
        _ = time
        #endif
    }
}
