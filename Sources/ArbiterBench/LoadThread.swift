#if canImport(Glibc)
import Foundation
import CEpoll
import Glibc
import LeanSocket
import Synchronization

/// One thread of the lean load generator: its share of the bots, its own epoll set, and one
/// timerfd that fires `phasesPerTick` times per server tick at absolute deadlines. Each bot
/// sends in one phase of the tick, so the server sees inputs spread over the tick instead of a
/// burst. The coordinator talks to the thread only through `shared` (checked every few ms).
final class LoadThread: @unchecked Sendable {
    enum Phase: Int, Comparable, Sendable {
        case warmUp, measuring, ended, stopped
        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    struct Shared: Sendable {
        var requested = Phase.warmUp
        var reached = Phase.warmUp
        var playing = 0
        /// Snapshots per second the server promised, once a bot has joined.
        var snapshotRate = 0.0
        /// The window's counters, set when `ended` is reached.
        var report: LoadCounters?
    }

    static let defaultPhasesPerTick = 4
    private let phasesPerTick: Int
    private static let controlInterval: UInt64 = 10_000_000
    private static let timerToken = UInt64.max

    let shared = Mutex(Shared())
    private let finished = DispatchSemaphore(value: 0)

    private let port: Int
    /// (bot index, connect time offset in ns), in connect order.
    private let schedule: [(bot: Int, at: UInt64)]
    private var connections: [LoadConnection] = []
    private let epoll: Int32
    private let timer: Int32
    private var counters = LoadCounters()
    private var atWindowStart = LoadCounters()
    private var reached = Phase.warmUp
    private var tickRate = 60
    private var snapshotRate = 0.0
    private var phaseNanoseconds: UInt64 = 0
    private var epoch: UInt64 = 0
    private var lastPhase: Int64 = 0
    private var lastControl: UInt64 = 0

    /// `schedule`: which bots this thread plays and when (after `start`) each connects.
    init(
        port: Int, schedule: [(bot: Int, at: UInt64)], seed: UInt64, fullDecodeEvery: Int,
        phasesPerTick: Int = defaultPhasesPerTick, pacing: Bool = true
    ) {
        self.port = port
        self.phasesPerTick = max(1, phasesPerTick)
        self.schedule = schedule
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        timer = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK) | Int32(TFD_CLOEXEC))
        connections = schedule.enumerated().map { slot, entry in
            LoadConnection(
                bot: entry.bot, token: UInt64(slot), epoll: epoll, seed: seed,
                fullDecode: fullDecodeEvery > 0 && entry.bot % fullDecodeEvery == 0, pacing: pacing)
        }
        LoadSocket.epollControl(epoll, EPOLL_CTL_ADD, fd: timer, events: EPOLLIN.rawValue, token: Self.timerToken)
    }

    func start() {
        Thread.detachNewThread { [self] in
            run()
            finished.signal()
        }
    }

    /// Waits for the thread to finish (after `stopped` was requested).
    func join() { finished.wait() }

    private func run() {
        let begin = LoadSocket.now()
        retime(tickRate: 60, now: begin)
        let capacity = 512
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer {
            events.deallocate()
            close(timer)
            close(epoll)
        }
        var nextConnect = 0
        while true {
            let count = epoll_wait(epoll, events, Int32(capacity), 5)
            for i in 0..<max(0, Int(count)) {
                let event = events[i]
                if event.data.u64 == Self.timerToken {
                    onTimer()
                    continue
                }
                let connection = connections[Int(event.data.u64)]
                connection.handle(events: event.events, now: LoadSocket.now(), counters: &counters)
                if connection.state == .playing, connection.tickRate != tickRate {
                    retime(tickRate: connection.tickRate, now: LoadSocket.now())
                }
            }
            let now = LoadSocket.now()
            while nextConnect < schedule.count, begin &+ schedule[nextConnect].at <= now {
                connections[nextConnect].start(port: port, counters: &counters)
                nextConnect += 1
            }
            if now &- lastControl >= Self.controlInterval {
                lastControl = now
                if !control() { break }
            }
        }
        for connection in connections { connection.stop() }
    }

    /// The timer: every phase due since the last one sends its bots' inputs (at most one tick's
    /// worth, if the thread was held up for longer).
    private func onTimer() {
        var expirations: UInt64 = 0
        _ = read(timer, &expirations, 8)
        let now = LoadSocket.now()
        guard now > epoch else { return }
        let current = Int64((now - epoch) / phaseNanoseconds)
        var phase = max(lastPhase + 1, current - Int64(phasesPerTick) + 1)
        while phase <= current {
            var slot = Int(phase % Int64(phasesPerTick))
            while slot < connections.count {
                connections[slot].tick(now: LoadSocket.now(), counters: &counters)
                slot += phasesPerTick
            }
            phase += 1
        }
        lastPhase = current
    }

    /// Follows the tick rate the server announced in Welcome.
    private func retime(tickRate: Int, now: UInt64) {
        self.tickRate = tickRate
        phaseNanoseconds = 1_000_000_000 / UInt64(tickRate * phasesPerTick)
        epoch = now
        lastPhase = 0
        let first = now + phaseNanoseconds
        var spec = itimerspec()
        spec.it_value = timespec(tv_sec: Int(first / 1_000_000_000), tv_nsec: Int(first % 1_000_000_000))
        spec.it_interval = timespec(tv_sec: 0, tv_nsec: Int(phaseNanoseconds))
        _ = timerfd_settime(timer, Int32(TFD_TIMER_ABSTIME), &spec, nil)
    }

    /// Publishes the playing count and follows the coordinator's phase; false once stopped.
    private func control() -> Bool {
        let playing = connections.reduce(0) { $0 + ($1.state == .playing ? 1 : 0) }
        if snapshotRate == 0, let joined = connections.first(where: { $0.state == .playing }) {
            snapshotRate = Double(joined.tickRate) / Double(joined.snapshotInterval)
        }
        let requested = shared.withLock { shared in
            shared.playing = playing
            shared.snapshotRate = snapshotRate
            return shared.requested
        }
        guard requested != reached else { return true }
        var report: LoadCounters?
        if reached < .measuring && requested >= .measuring {
            atWindowStart = counters
            counters.inputAck.reset()
        }
        if reached < .ended && requested >= .ended {
            report = counters.windowed(since: atWindowStart)
        }
        reached = requested
        shared.withLock { shared in
            shared.reached = requested
            if let report { shared.report = report }
        }
        return requested != .stopped
    }
}
#endif
