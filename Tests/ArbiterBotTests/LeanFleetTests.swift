#if canImport(Glibc)
import ArbiterBotKit
import ArbiterClient
import ArbiterServer
import ArenaTestSupport
import NIOCore
import NIOPosix
import Testing

@Suite("Lean-transport bots against an in-process Arena server", .serialized, .timeLimit(.minutes(2)))
struct LeanFleetTests {
    /// A default server's timing: 60 Hz, a snapshot every 2 ticks.
    static func server() async throws -> LiveArenaServer {
        try await LiveArenaServer.start { $0.snapshotInterval = ServerConfiguration().snapshotInterval }
    }

    @Test("20 lean bots join, get their snapshots, have their inputs acknowledged, and move")
    func twentyBotsPlay() async throws {
        let server = try await Self.server()
        var configuration = FleetConfiguration(url: try WebSocketURL.gameSocket(forServerAddress: "http://127.0.0.1:\(server.port)"), bots: 20)
        configuration.ramp = 0
        configuration.behavior = .wander
        let fleet = try LeanFleet(configuration: configuration)
        let start = await fleet.sample()
        try fleet.start()
        try await waitFor { server.players == 20 }

        try await Task.sleep(for: .milliseconds(500))
        let before = await fleet.ownShips()
        try await Task.sleep(for: .milliseconds(1500))
        let after = await fleet.ownShips()
        await fleet.stop()
        let end = await fleet.sample()
        let summary = FleetSummary(bots: 20, start: start, end: end)

        #expect(summary.connected == 20)
        #expect(summary.failedConnects == 0 && summary.protocolErrors == 0 && summary.disconnects.isEmpty, "\(summary.json())")
        #expect(!summary.failed)
        // Every snapshot the server sent arrived and decoded: a gap in ticks counts as missed, and
        // the only gaps are frames the server itself superseded for a busy loop (under a loaded
        // parallel test run it does; on a quiet machine the ratio is ≥ 99.5 %).
        let superseded = PrometheusText(server.metrics.render()).value("arbiter_snapshots_superseded_total") ?? 0
        #expect(Double(summary.snapshotsMissed) <= superseded, "\(summary.snapshotsMissed) missed, \(superseded) superseded")
        #expect(summary.snapshotRatio >= 0.9, "\(summary.snapshots) received, \(summary.snapshotsMissed) missed")
        #expect(summary.snapshotsPerBotPerS > 20 && summary.snapshotsPerBotPerS <= 31, "\(summary.snapshotsPerBotPerS)")
        // An Input per tick, and the server acknowledged them: all but the last few in flight.
        #expect(Double(summary.inputsSent) > 20 * 2 * 60 * 0.7, "\(summary.inputsSent)")
        #expect(end.ack.count >= summary.inputsSent - 20 * 30, "\(end.ack.count) of \(summary.inputsSent) acknowledged")
        #expect(summary.inputAckMs.p50 > 0 && summary.inputAckMs.p50 <= summary.inputAckMs.p99)
        // A Ping a second came back as a Pong.
        #expect(end.roundTrip.count >= 20)
        #expect(summary.aliveSeconds > 20, "\(summary.aliveSeconds)")
        // The ships moved: wandering bots are never still for 1.5 s (dead ones are left out).
        let moved = before.filter { index, position in
            guard let later = after[index] else { return false }
            let d = later - position
            return (d * d).sum() > 10 * 10
        }
        #expect(before.count >= 15 && moved.count >= before.count - 2, "\(moved.count) of \(before.count) moved")
        // What the server counted in is what the bots counted out.
        let metrics = PrometheusText(server.metrics.render())
        #expect(metrics.value("arbiter_websocket_messages_total", direction: "in").map { $0 >= Double(summary.inputsSent) } == true)
        try await server.stop()
    }

    @Test("nobody listening: every lean bot is a failed connect")
    func failedConnects() async throws {
        // Bind and close a socket to get a port with nothing on it.
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        var configuration = FleetConfiguration(url: WebSocketURL(host: "127.0.0.1", port: port, path: "/play"), bots: 4)
        configuration.ramp = 0
        let fleet = try LeanFleet(configuration: configuration)
        let start = await fleet.sample()
        try fleet.start()
        try await waitFor { await fleet.sample().failedConnects == 4 }
        #expect(await fleet.sample().nobodyCanConnect(bots: 4))
        await fleet.stop()
        let summary = FleetSummary(bots: 4, start: start, end: await fleet.sample())
        #expect(summary.failedConnects == 4)
        #expect(summary.connected == 0)
        #expect(summary.failed)
        #expect(summary.firstError?.contains("connect") == true, "\(summary.firstError ?? "")")
    }

    @Test("a server shutting down shows as unexpected disconnects")
    func serverShutdownCounts() async throws {
        let server = try await Self.server()
        var configuration = FleetConfiguration(url: try WebSocketURL.gameSocket(forServerAddress: "http://127.0.0.1:\(server.port)"), bots: 3)
        configuration.ramp = 0
        let fleet = try LeanFleet(configuration: configuration)
        let start = await fleet.sample()
        try fleet.start()
        try await waitFor { await fleet.sample().connected == 3 }
        try await server.stop()
        try await waitFor { await fleet.sample().connected == 0 }
        await fleet.stop()
        let summary = FleetSummary(bots: 3, start: start, end: await fleet.sample())
        #expect(summary.connected == 3)
        #expect(summary.disconnects.values.reduce(0, +) == 3, "\(summary.disconnects)")
        #expect(summary.failed)
    }
}
#endif
