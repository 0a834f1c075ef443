#if canImport(Glibc)
import ArbiterClient
import ArenaBot
import CEpoll
import Foundation
import Glibc
import LeanSocket
import NIOCore
import Synchronization

/// One thread of the lean transport: its share of the bots and its own epoll set, woken
/// `phasesPerTick` times per server tick at absolute deadlines (the server's tick rate, from
/// Welcome). At each phase it handles every socket that became ready since the last (epoll with
/// no wait), then sends the Inputs of that phase's bots: each bot sends in one phase of the tick,
/// so the server sees inputs spread over the tick rather than in one burst, and the thread wakes
/// 240 times a second at 60 Hz however many bots there are, instead of once per arriving
/// snapshot (a snapshot waits at most a quarter tick to be read). The fleet talks to the thread
/// only through `shared`, which the thread checks every few ms; counting needs no lock.
final class LeanBotThread: @unchecked Sendable {
    /// A report: the loop's sample plus where each playing bot's own ship is.
    struct Report: Sendable {
        var sample: LoopSample
        var ownShips: [Int: SIMD2<Double>]
    }

    struct Shared: Sendable {
        var requestedReport = 0
        var servedReport = 0
        var report: Report?
        var stopRequested = false
        var started = false
        var finished = false
    }

    static let phasesPerTick = 4
    private static let controlInterval: UInt64 = 5_000_000

    let shared = Mutex(Shared())
    private let done = DispatchSemaphore(value: 0)

    let address: sockaddr_in
    let upgradeRequest: [UInt8]
    let epoll: Int32
    private var bots: [LeanBot] = []
    /// Connect time of each bot (ns after `start`), in `bots` order.
    private let connectAt: [UInt64]

    // Counters, on this thread only; copied into a `LoopSample` on request.
    var counters = FleetCounters()
    var transport = WebSocketStatistics()
    let metrics: SessionMetrics
    /// Sends the socket refused (it would have blocked): those inputs were not sent.
    var skippedSends = 0
    /// Send phases the thread was too late for (a tick's worth is `phasesPerTick`).
    private var skippedPhases = 0
    private var ackTotal = LatencyHistogram()
    private var gapTotal = LatencyHistogram()

    private var tickRate = 60
    private var phaseNanoseconds: UInt64 = 0
    private var epoch: UInt64 = 0
    private var lastPhase: Int64 = 0

    /// `bots`: (index, connect offset in ns) of the bots this thread plays.
    init(configuration: FleetConfiguration, address: sockaddr_in, bots schedule: [(index: Int, at: UInt64)], timelineOrigin: UInt64) {
        self.address = address
        upgradeRequest = LeanHandshake.request(target: configuration.url.requestTarget, host: configuration.url.hostHeader)
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        metrics = SessionMetrics(timelineOrigin: timelineOrigin)
        connectAt = schedule.map(\.at)
        bots = schedule.enumerated().map { slot, entry in
            LeanBot(
                index: entry.index, token: UInt64(slot), name: configuration.name(forBot: entry.index),
                brain: BotBrain(
                    seed: configuration.seed &+ UInt64(entry.index) &* 0x9E37_79B9_7F4A_7C15,
                    behavior: configuration.behavior.brain(forBot: entry.index)),
                home: self)
        }
    }

    func start() {
        shared.withLock { $0.started = true }
        Thread.detachNewThread { [self] in
            run()
            done.signal()
        }
    }

    /// The report of a thread not started yet (nothing runs on it, so reading here is safe).
    func reportBeforeStart() -> Report { makeReport(now: LoadSocket.now()) }

    /// Waits for the thread to end (after a stop was requested).
    func join() { done.wait() }

    private func run() {
        let begin = LoadSocket.now()
        retime(tickRate: tickRate, now: begin)
        let capacity = 512
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer {
            events.deallocate()
            close(epoll)
        }
        var nextConnect = 0
        var lastControl: UInt64 = 0
        var stopping = false
        while true {
            Self.sleep(until: min(epoch &+ UInt64(lastPhase + 1) &* phaseNanoseconds, lastControl &+ Self.controlInterval))
            var now = LoadSocket.now()
            var count = Int32(capacity)
            while count == Int32(capacity) {
                count = epoll_wait(epoll, events, Int32(capacity), 0)
                for i in 0..<max(0, Int(count)) {
                    bots[Int(events[i].data.u64)].handle(events: events[i].events, now: now)
                }
            }
            now = LoadSocket.now()
            sendDuePhases(now: now)
            while !stopping, nextConnect < bots.count, begin &+ connectAt[nextConnect] <= now {
                bots[nextConnect].start(now: now)
                nextConnect += 1
            }
            guard now &- lastControl >= Self.controlInterval else { continue }
            lastControl = now
            for bot in bots where bot.isOpen { bot.checkDeadline(now: now) }
            let (reportWanted, stopWanted) = shared.withLock { ($0.requestedReport, $0.stopRequested) }
            if stopWanted && !stopping {
                stopping = true
                for bot in bots { bot.stop(now: now) }
            }
            if stopping && !bots.contains(where: \.isOpen) {
                let report = makeReport(now: now)
                shared.withLock {
                    $0.report = report
                    $0.servedReport = reportWanted
                    $0.finished = true
                }
                return
            }
            if reportWanted != shared.withLock({ $0.servedReport }) {
                let report = makeReport(now: now)
                shared.withLock {
                    $0.report = report
                    $0.servedReport = reportWanted
                }
            }
        }
    }

    /// Every phase due since the last one sends its bots' inputs; phases more than a tick late
    /// are skipped (counted), not replayed in a burst.
    private func sendDuePhases(now: UInt64) {
        guard now > epoch else { return }
        let current = Int64((now - epoch) / phaseNanoseconds)
        let earliest = current - Int64(Self.phasesPerTick) + 1
        if lastPhase + 1 < earliest { skippedPhases += Int(earliest - lastPhase - 1) }
        var phase = max(lastPhase + 1, earliest)
        while phase <= current {
            var slot = Int(phase % Int64(Self.phasesPerTick))
            while slot < bots.count {
                bots[slot].tick(now: now)
                slot += Self.phasesPerTick
            }
            phase += 1
        }
        lastPhase = current
    }

    /// A bot joined: follow the server's tick rate.
    func joined(tickRate: Int, snapshotInterval: Int) {
        guard tickRate > 0, tickRate != self.tickRate else { return }
        retime(tickRate: tickRate, now: LoadSocket.now())
    }

    private func retime(tickRate: Int, now: UInt64) {
        self.tickRate = tickRate
        phaseNanoseconds = 1_000_000_000 / UInt64(tickRate * Self.phasesPerTick)
        epoch = now
        lastPhase = 0
    }

    /// Sleeps until `deadline` on the monotonic clock (returns at once if it has passed).
    private static func sleep(until deadline: UInt64) {
        guard deadline > LoadSocket.now() else { return }
        var spec = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &spec, nil) == EINTR {}
    }

    func countOut(payload: Int, wire: Int) {
        transport.messagesOut += 1
        transport.bytesOut += payload
        transport.wireBytesOut += wire
    }

    /// Everything so far, as `FleetLoop.collect` reports it; starts a new interval.
    private func makeReport(now: UInt64) -> Report {
        var counters = self.counters
        var ownShips: [Int: SIMD2<Double>] = [:]
        for bot in bots {
            counters.playedNanoseconds += bot.playingFor(now: now)
            if let position = bot.ownPosition { ownShips[bot.index] = position }
        }
        var ack = ackTotal
        ack.merge(metrics.inputAckLatency)
        var gap = gapTotal
        gap.merge(metrics.snapshotGap)
        let sample = LoopSample(
            counters: counters, transport: transport, snapshots: metrics.snapshotsReceived,
            snapshotsMissed: metrics.snapshotsMissed, inputs: metrics.inputsSent, decodeErrors: metrics.decodeErrors,
            intervalAck: metrics.inputAckLatency, intervalGap: metrics.snapshotGap, ackTotal: ack, gapTotal: gap,
            roundTrip: metrics.roundTrip, skippedTicks: skippedPhases / Self.phasesPerTick + skippedSends, netcode: metrics.netcode,
            timeline: metrics.timeline)
        ackTotal = ack
        gapTotal = gap
        metrics.inputAckLatency.reset()
        metrics.snapshotGap.reset()
        return Report(sample: sample, ownShips: ownShips)
    }
}
#endif
