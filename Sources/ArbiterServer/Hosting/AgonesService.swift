import AsyncHTTPClient
import Logging
import ServiceLifecycle

/// Keeps Agones informed about this game server (`--agones`), on four independent tasks so a
/// slow or failing gateway delays none of the others (every call is bounded by the client's
/// timeout, and none runs on a tick thread or an event loop):
/// - Ready once the port is bound (retried with backoff: the sidecar may start after us);
/// - Health every `healthInterval` while the rooms tick (a stuck tick thread stops the pings,
///   so Agones replaces the server); the pings keep their cadence whatever the other calls do;
/// - the seats and players (`AgonesReport`: labels, the `players` counter, player tracking),
///   at most once a `reportInterval` and only what changed;
/// - the GameServer's state, from `GET /gameserver` and then `/watch/gameserver` (reconnected
///   with backoff when the stream drops): Allocated is logged and shown (`AgonesStatus`), and a
///   `Shutdown` state starts the drain.
/// When the drain is over (the instance emptied, or the drain timeout passed) the service group
/// shuts down and this calls Shutdown. Agones' own way to stop a game server is SIGTERM, which
/// drains too.
struct AgonesService: Service {
    let sdk: AgonesSDKClient
    let rooms: any RoomDirectory
    let players: PlayerPresence
    let drain: ServerDrain
    let status: AgonesStatus
    let metrics: AgonesMetrics
    /// Seats of the rooms quick-join may still create (`maxRooms`, `roomCapacity`).
    let maxRooms: Int
    let roomCapacity: Int
    /// Yields once the server's port is bound.
    let bound: AsyncStream<Void>
    let logger: Logger
    var healthInterval: Duration = .seconds(2)
    var reportInterval: Duration = .seconds(1)
    /// Between attempts of a refused call (Ready, a report channel, the watch): the gateway is
    /// on localhost, so one call every 5 s at most is cheap, and a recovered gateway hears from
    /// us soon.
    var retry = Backoff(base: .milliseconds(500), cap: .seconds(5))
    /// How long a call already sent may still take once the service stops (see `call`).
    var stopGrace: Duration = .milliseconds(250)

    func run() async {
        await cancelWhenGracefulShutdown {
            for await _ in self.bound { break }
            guard !Task.isCancelled else { return }
            let ready = await self.call("ready") { try await self.sdk.ready() }
            await withTaskGroup(of: Void.self) { group in
                if !ready { group.addTask { await self.retryReady() } }
                group.addTask { await self.pingHealth() }
                group.addTask { await self.reportSeats() }
                group.addTask { await self.watchState() }
            }
        }
        await self.call("shutdown") { try await self.sdk.shutdown() }
    }

    private func retryReady() async {
        // Agones waits for Ready; a sidecar that comes up late should not wait long for it.
        var backoff = Backoff(base: self.retry.base, cap: min(self.retry.cap, .seconds(2)))
        while !Task.isCancelled {
            try? await Task.sleep(for: backoff.failed())
            if await self.call("ready", quietAfterFailures: backoff.failures, { try await self.sdk.ready() }) { return }
        }
    }

    /// One ping per `healthInterval`, on a fixed schedule; each bounded by the interval, so a
    /// slow answer costs at most that ping.
    private func pingHealth() async {
        var bounded = self.sdk
        bounded.timeout = min(bounded.timeout, self.healthInterval)
        let sdk = bounded
        var liveness = TickLiveness()
        let clock = ContinuousClock()
        var next = clock.now
        var failures = 0
        while !Task.isCancelled {
            if liveness.advanced(self.rooms.roomSummaries()) {
                let ok = await self.call("health", quietAfterFailures: failures) { try await sdk.health() }
                failures = ok ? 0 : failures + 1
            } else {
                self.logger.warning("a room's tick stopped: no Agones health ping")
            }
            next = max(next.advanced(by: self.healthInterval), clock.now)
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    /// Every `reportInterval`: the calls that bring Agones up to date, per channel; a channel
    /// whose call was refused waits out its backoff, the others go on.
    private func reportSeats() async {
        var reported = AgonesReported()
        var backoffs = Dictionary(uniqueKeysWithValues: AgonesReport.Channel.allCases.map { ($0, self.retry) })
        var resumeAt: [AgonesReport.Channel: ContinuousClock.Instant] = [:]
        while !Task.isCancelled {
            let report = AgonesReport(
                summaries: self.rooms.roomSummaries(), maxRooms: self.maxRooms, roomCapacity: self.roomCapacity,
                draining: self.drain.isDraining, playerIDs: self.players.ids)
            var refused: Set<AgonesReport.Channel> = []
            for call in reported.calls(toReach: report) where !refused.contains(call.channel) {
                if Task.isCancelled { return }
                if let at = resumeAt[call.channel], at > .now { continue }
                if await self.call(call.metricName, quietAfterFailures: backoffs[call.channel]!.failures, { try await self.send(call) }) {
                    reported.accepted(call)
                    backoffs[call.channel]!.succeeded()
                    resumeAt[call.channel] = nil
                } else {
                    refused.insert(call.channel)
                    resumeAt[call.channel] = .now + backoffs[call.channel]!.failed()
                }
            }
            try? await Task.sleep(for: self.reportInterval)
        }
    }

    private func send(_ call: AgonesReport.Call) async throws {
        switch call {
        case .label(let key, let value): try await self.sdk.setLabel(key, value)
        case .counter(let name, let count, let capacity): try await self.sdk.setCounter(name, count: count, capacity: capacity)
        case .playerCapacity(let count): try await self.sdk.setPlayerCapacity(count)
        case .playerConnect(let id): try await self.sdk.playerConnect(id)
        case .playerDisconnect(let id): try await self.sdk.playerDisconnect(id)
        }
    }

    /// The current state, then every change; a dropped or failed stream is opened again after a
    /// backoff (reset by a stream that delivered a change), never in a busy loop.
    private func watchState() async {
        var backoff = self.retry
        while !Task.isCancelled {
            var answered = false
            var delivered = false
            do {
                self.observe(try await self.sdk.gameServerState())
                self.metrics.call("get_gameserver", result: "ok")
                answered = true
                try await self.sdk.watchGameServerStates { state in
                    delivered = true
                    self.observe(state)
                }
                self.metrics.call("watch_gameserver", result: "ended")
                self.logger.debug("the Agones GameServer watch ended; reconnecting")
            } catch let error as HTTPClientError where error == .readTimeout && answered {
                // The client's read timeout (90 s) ends a stream that has been quiet that long.
                self.metrics.call("watch_gameserver", result: "ended")
                self.logger.debug("the Agones GameServer watch was quiet too long; reconnecting")
            } catch {
                guard !Task.isCancelled else { return }
                self.metrics.call("watch_gameserver", result: Self.result(of: error))
                self.logger.log(
                    level: backoff.failures == 0 ? .warning : .debug, "the Agones GameServer watch failed; retrying",
                    metadata: ["error": "\(error)"])
            }
            if delivered { backoff.succeeded() }
            try? await Task.sleep(for: backoff.failed())
        }
    }

    private func observe(_ state: String) {
        let previous = self.status.update(state)
        guard previous != state else { return }
        switch state {
        case "Allocated":
            self.logger.notice("Agones allocated this game server")
        case "Shutdown":
            self.logger.notice("Agones is shutting this game server down: draining")
            self.drain.request(from: .request)
        default:
            self.logger.info("Agones GameServer state", metadata: ["state": "\(state)"])
        }
    }

    /// Runs one SDK call, counts it, logs a failure (at warning for the first of a run of
    /// failures, at debug after); true if it succeeded. When the service stops, a call on its way
    /// gets `stopGrace` to land (a healthy gateway answers in milliseconds), so Shutdown is the
    /// last thing Agones hears rather than a label overtaking it; a dead gateway cannot hold up
    /// the stop (the HTTP server's 1001s wait for this service) beyond that.
    @discardableResult
    private func call(
        _ name: String, quietAfterFailures failures: Int = 0, _ body: @escaping @Sendable () async throws -> Void
    ) async -> Bool {
        do {
            let task = Task { try await body() }
            let grace = self.stopGrace
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                Task {
                    try? await Task.sleep(for: grace)
                    task.cancel()
                }
            }
            self.metrics.call(name, result: "ok")
            self.logger.debug("Agones SDK \(name)")
            return true
        } catch {
            // Cut short by the stop: no failure of the gateway's; the Shutdown call follows.
            if Task.isCancelled { return false }
            self.metrics.call(name, result: Self.result(of: error))
            self.logger.log(level: failures == 0 ? .warning : .debug, "Agones SDK \(name) failed", metadata: ["error": "\(error)"])
            return false
        }
    }

    private static func result(of error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timeout"
        }
        if let failure = error as? AgonesSDKClient.Failure, failure.isTimeout { return "timeout" }
        return "error"
    }
}

/// Whether every room's tick moved on since the last look, from `GET /rooms`' summaries (new
/// rooms count as moving; a server without rooms is alive).
struct TickLiveness: Sendable {
    private var lastTicks: [Int: UInt64] = [:]

    mutating func advanced(_ summaries: [RoomSummary]) -> Bool {
        var alive = true
        var ticks: [Int: UInt64] = [:]
        for summary in summaries {
            ticks[summary.id] = summary.tick
            if let last = self.lastTicks[summary.id], summary.tick <= last { alive = false }
        }
        self.lastTicks = ticks
        return alive
    }
}
