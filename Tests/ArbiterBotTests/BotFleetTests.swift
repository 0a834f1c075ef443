import ArbiterBotKit
import ArbiterClient
import ArbiterServer
import ArenaTestSupport
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

@Suite("Bots against an in-process Arena server", .serialized, .timeLimit(.minutes(2)))
struct BotFleetTests {
    @Test("the JSON summary agrees with what the server saw")
    func summaryMatchesServer() async throws {
        let server = try await LiveArenaServer.start()
        let url = try WebSocketURL.gameSocket(forServerAddress: "http://127.0.0.1:\(server.port)")
        var configuration = FleetConfiguration(url: url, bots: 6)
        configuration.ramp = 0
        configuration.behavior = .mixed
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let fleet = BotFleet(configuration: configuration, group: group)
        let start = await fleet.sample()
        try fleet.start()

        // While they play, the server's room holds all six.
        var players = 0
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(50))
            players = server.rooms.roomSummaries().reduce(0) { $0 + $1.players }
            if players == 6 { break }
        }
        #expect(players == 6)
        try await Task.sleep(for: .seconds(2))
        await fleet.stop()
        let end = await fleet.sample()
        let summary = FleetSummary(bots: 6, start: start, end: end)
        try await group.shutdownGracefully()

        #expect(summary.connected == 6)
        #expect(summary.failedConnects == 0)
        #expect(summary.protocolErrors == 0)
        #expect(summary.disconnects.isEmpty)
        #expect(!summary.failed)

        // Wait for the server to have finished with the closed connections.
        var metrics = PrometheusText(server.metrics.render())
        for _ in 0..<50 where metrics.value("arbiter_websocket_connections") != 0 {
            try await Task.sleep(for: .milliseconds(50))
            metrics = PrometheusText(server.metrics.render())
        }
        #expect(metrics.value("arbiter_websocket_messages_total", direction: "in") == Double(summary.messagesOut))
        #expect(metrics.value("arbiter_websocket_bytes_total", direction: "in") == Double(summary.bytesOut))
        #expect(metrics.value("arbiter_websocket_messages_total", direction: "out") == Double(summary.messagesIn))
        #expect(metrics.value("arbiter_websocket_bytes_total", direction: "out") == Double(summary.bytesIn))

        // Everything the server sent is a Welcome and a MapInfo per bot, a Pong per second
        // per bot (pings go out once a second), and snapshots. Rates depend on how busy the
        // machine is, so they are bounded by the server's 60 snapshots per second, not pinned.
        #expect(summary.snapshots <= summary.messagesIn - 12)
        #expect(summary.snapshots >= summary.messagesIn - 12 - 6 * 5)
        #expect(summary.snapshotsPerBotPerS > 0 && summary.snapshotsPerBotPerS <= 61, "\(summary.snapshotsPerBotPerS)")
        #expect(summary.inputsSent > 6 * 30)
        #expect(summary.inputAckMs.p50 > 0 && summary.inputAckMs.p50 <= summary.inputAckMs.p99)
        #expect(summary.inputAckMs.p99 <= summary.inputAckMs.max && summary.inputAckMs.max < 5000)
        #expect(summary.snapshotGapMs.p50 >= 10)
        #expect(summary.botCpuPercent > 0)
        // Every ship is predicted and counted while alive: 6 bots for about 2 s (nobody dies that
        // fast; ships spawn up to 3 s apart, so some may have started late).
        #expect(summary.aliveSeconds > 6 && summary.aliveSeconds < 6 * 4, "\(summary.aliveSeconds)")

        let object = try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any]
        for key in [
            "bots", "seconds", "connected", "failed_connects", "disconnects", "protocol_errors", "snapshots_per_bot_per_s",
            "bytes_in_per_bot_per_s", "bytes_out_per_bot_per_s", "input_ack_ms", "snapshot_gap_ms", "bot_cpu_percent",
            "corrections_per_bot_per_min", "own_corrections", "alive_seconds", "remote_holds", "remote_freezes", "remote_jumps",
        ] {
            #expect(object?[key] != nil, "\(key)")
        }
        #expect((object?["input_ack_ms"] as? [String: Any])?["p99"] != nil)
        try await server.stop()
    }

    @Test("a server kicking everyone out shows as unexpected disconnects and fails the run")
    func serverShutdownCounts() async throws {
        let server = try await LiveArenaServer.start()
        let url = try WebSocketURL.gameSocket(forServerAddress: "http://127.0.0.1:\(server.port)")
        var configuration = FleetConfiguration(url: url, bots: 3)
        configuration.ramp = 0
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fleet = BotFleet(configuration: configuration, group: group)
        let start = await fleet.sample()
        try fleet.start()
        try await waitFor { await fleet.sample().connected == 3 }
        try await server.stop()
        try await waitFor { await fleet.sample().connected == 0 }
        await fleet.stop()
        let summary = FleetSummary(bots: 3, start: start, end: await fleet.sample())
        try await group.shutdownGracefully()
        #expect(summary.connected == 3)
        #expect(summary.disconnects.values.reduce(0, +) == 3, "\(summary.disconnects)")
        #expect(summary.failed)
    }

    @Test("bots arrive at the ramp's rate, and stopping cancels the ones not yet started")
    func rampAndStop() async throws {
        let server = try await LiveArenaServer.start()
        var configuration = FleetConfiguration(url: try WebSocketURL.gameSocket(forServerAddress: "127.0.0.1:\(server.port)"), bots: 20)
        configuration.ramp = 4
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let fleet = BotFleet(configuration: configuration, group: group)
        let start = await fleet.sample()
        try fleet.start()
        try await Task.sleep(for: .milliseconds(1100))
        let during = await fleet.sample().connected
        await fleet.stop()
        try await Task.sleep(for: .milliseconds(600))
        let summary = FleetSummary(bots: 20, start: start, end: await fleet.sample())
        try await group.shutdownGracefully()
        // 4 per second: bots 1-5 are due by 1.0 s.
        #expect(during >= 3 && during <= 5, "\(during)")
        #expect(summary.connected >= during && summary.connected <= 6, "none join after the stop")
        #expect(!summary.failed)
        try await server.stop()
    }

    @Test("nobody listening: every bot is a failed connect")
    func failedConnects() async throws {
        // Bind and close a socket to get a port with nothing on it.
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        channel.close(promise: nil)
        try await Task.sleep(for: .milliseconds(50))
        var configuration = FleetConfiguration(url: WebSocketURL(host: "127.0.0.1", port: port, path: "/play"), bots: 4)
        configuration.ramp = 0
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fleet = BotFleet(configuration: configuration, group: group)
        let start = await fleet.sample()
        try fleet.start()
        try await waitFor { await fleet.sample().failedConnects == 4 }
        // arbiter-bot stops on this, with or without --duration.
        #expect(await fleet.sample().nobodyCanConnect(bots: 4))
        await fleet.stop(timeout: .milliseconds(100))
        let summary = FleetSummary(bots: 4, start: start, end: await fleet.sample())
        try await group.shutdownGracefully()
        #expect(summary.failedConnects == 4)
        #expect(summary.connected == 0)
        #expect(summary.failed)
    }
}
