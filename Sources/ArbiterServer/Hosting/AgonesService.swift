import Logging
import ServiceLifecycle

/// Keeps Agones informed about this game server (`--agones`): Ready once the port is bound,
/// Health every `healthInterval` while the rooms tick (a stuck tick thread stops the pings, so
/// Agones replaces the server), Shutdown when the drain is over. Agones' own way to stop a game
/// server is SIGTERM, which drains.
struct AgonesService: Service {
    let sdk: AgonesSDKClient
    let rooms: any RoomDirectory
    /// Yields once the server's port is bound.
    let bound: AsyncStream<Void>
    let logger: Logger
    var healthInterval: Duration = .seconds(2)

    func run() async {
        await cancelWhenGracefulShutdown {
            for await _ in self.bound { break }
            guard !Task.isCancelled else { return }
            await self.call("ready") { try await self.sdk.ready() }
            var liveness = TickLiveness()
            while !Task.isCancelled {
                if liveness.advanced(self.rooms.roomSummaries()) {
                    await self.call("health") { try await self.sdk.health() }
                } else {
                    self.logger.warning("a room's tick stopped: no Agones health ping")
                }
                try? await Task.sleep(for: self.healthInterval)
            }
        }
        await self.call("shutdown") { try await self.sdk.shutdown() }
    }

    private func call(_ name: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            self.logger.debug("Agones SDK \(name)")
        } catch is CancellationError {
            // Shutting down mid-call: the Shutdown call follows.
        } catch {
            self.logger.warning("Agones SDK \(name) failed", metadata: ["error": "\(error)"])
        }
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
