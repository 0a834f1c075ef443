@testable import ArbiterServer
import Hummingbird
import NIOCore
import Testing

/// The Agones SDK conversation against a local stand-in for the sidecar's REST gateway
/// (`Support/AgonesStandIn.swift`): the calls a game server makes, in order, with their bodies,
/// and what it does when the gateway fails, is slow, or drops the watch stream.
@Suite(.timeLimit(.minutes(1)))
struct AgonesTests {
    /// One room of 8 seats (the counter game's) and room for one more of 16.
    static func start(_ sdk: AgonesStandIn, _ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        try await TestServer.start {
            $0.agonesSDKPort = sdk.port
            $0.maxRooms = 2
            $0.roomCapacity = 16
            $0.adminToken = "0123456789abcdef-agones"
            configure(&$0)
        }
    }

    @Test func readyThenHealthThenShutdownAfterTheDrain() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        let server = try await Self.start(sdk)
        try await waitFor { sdk.count("health") >= 1 }
        #expect(sdk.paths.first == "ready")
        #expect(!sdk.paths.contains("shutdown"))
        try await server.running.drainAndStop()
        #expect(sdk.lastWrite == "shutdown", "\(sdk.paths)")
        #expect(sdk.count("ready") == 1)
        #expect(sdk.calls.first { $0.path == "/ready" }?.method == "POST")
    }

    @Test func seatsAndPlayersReachAgones() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        let server = try await Self.start(sdk)
        defer { Task { try await server.running.shutdown() } }
        // 8 free seats in room 1, 16 in the room quick-join may create.
        let label = AgonesStandIn.Call(method: "PUT", path: "/metadata/label", body: #"{"key":"free-seats","value":"24"}"#)
        let counter = AgonesStandIn.Call(method: "PATCH", path: "/v1beta1/counters/players", body: #"{"capacity":"24","count":"0"}"#)
        let capacity = AgonesStandIn.Call(method: "PUT", path: "/alpha/player/capacity", body: #"{"count":"24"}"#)
        try await waitFor {
            let calls = sdk.calls
            return [label, counter, capacity].allSatisfy { calls.contains($0) }
        }
        #expect(sdk.calls.contains(.init(method: "PUT", path: "/metadata/label", body: #"{"key":"players","value":"0"}"#)))

        let player = try await RawSocketClient.webSocket(port: server.port, path: "/play?player=alice")
        let connect = AgonesStandIn.Call(method: "POST", path: "/alpha/player/connect", body: #"{"playerID":"alice"}"#)
        try await waitFor {
            sdk.calls.contains(connect)
                && sdk.calls.contains(.init(method: "PATCH", path: "/v1beta1/counters/players", body: #"{"capacity":"24","count":"1"}"#))
                && sdk.calls.contains(.init(method: "PUT", path: "/metadata/label", body: #"{"key":"free-seats","value":"23"}"#))
        }
        #expect(sdk.calls.firstIndex(of: capacity)! < sdk.calls.firstIndex(of: connect)!, "the capacity comes before the players")

        await player.close()
        let disconnect = AgonesStandIn.Call(method: "POST", path: "/alpha/player/disconnect", body: #"{"playerID":"alice"}"#)
        try await waitFor { sdk.calls.contains(disconnect) }
        try await waitFor { sdk.calls.last { $0.body.contains("free-seats") }?.body == #"{"key":"free-seats","value":"24"}"# }
        // Only changes are sent: one connect, one disconnect, one capacity.
        try await Task.sleep(for: .seconds(1.5))
        #expect(sdk.calls.filter { $0 == connect }.count == 1)
        #expect(sdk.calls.filter { $0 == disconnect }.count == 1)
        #expect(sdk.calls.filter { $0 == capacity }.count == 1)
        #expect(server.metric(#"arbiter_agones_calls_total{call="player_connect",result="ok"}"#) == 1)
    }

    @Test func aFailingGatewayIsCountedRetriedAndBackedOff() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        sdk.answer(.internalServerError, to: "/")
        let server = try await Self.start(sdk)
        defer { Task { try await server.running.shutdown() } }
        // Counted once the answer is back (the stand-in records a call as it arrives).
        try await waitFor {
            server.metric(#"arbiter_agones_calls_total{call="ready",result="error"}"#) ?? 0 >= 2
                && server.metric(#"arbiter_agones_calls_total{call="health",result="error"}"#) ?? 0 >= 1
        }
        #expect(sdk.count("ready") >= 2)
        // A refusing channel backs off: a few label calls in 3 s, not one a second per label.
        try await Task.sleep(for: .seconds(3))
        let labelCalls = sdk.count("metadata/label")
        #expect(labelCalls >= 1 && labelCalls <= 5, "\(sdk.paths)")

        // Player tracking stays off (no feature gate); the rest recovers.
        sdk.answer(.ok, to: "/")
        sdk.answer(.notFound, to: "/alpha")
        try await waitFor { server.metric(#"arbiter_agones_calls_total{call="ready",result="ok"}"#) == 1 }
        try await waitFor { sdk.calls.contains { $0.path == "/metadata/label" && $0.body.contains("free-seats") } }
        try await waitFor { server.server.agones?.state == "Scheduled" }
        #expect(!server.server.drain.isDraining)
    }

    @Test func aSlowGatewayDelaysNeitherHealthNorTheOtherCalls() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        sdk.delay("/metadata", by: .seconds(10))
        let server = try await Self.start(sdk)
        defer { Task { try await server.running.shutdown() } }
        try await waitFor { sdk.count("health") >= 1 }
        // Two more pings within 5 s (one every 2 s), while every label call hangs for 10 s.
        let before = sdk.count("health")
        try await waitFor { sdk.count("health") >= before + 2 }
        try await waitFor { server.metric(#"arbiter_agones_calls_total{call="set_label",result="timeout"}"#) ?? 0 >= 1 }
        #expect(sdk.calls.contains { $0.path == "/v1beta1/counters/players" }, "the counter goes on while labels hang")
        // The drain goes on too: Shutdown follows at once.
        try await server.running.drainAndStop()
        #expect(sdk.lastWrite == "shutdown", "\(sdk.paths)")
    }

    @Test func aDroppedWatchReconnectsAndAllocatedShows() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        sdk.setState("Ready")
        let server = try await Self.start(sdk)
        defer { Task { try await server.running.shutdown() } }
        try await waitFor { sdk.watchesOpened == 1 }
        #expect(server.server.agones?.state == "Ready")
        sdk.dropWatches()
        try await waitFor { sdk.watchesOpened == 2 }
        #expect(sdk.count("gameserver") == 2, "each connection starts from GET /gameserver")
        sdk.setState("Allocated")
        try await waitFor { server.server.agones?.isAllocated == true }
        #expect(server.metric("arbiter_agones_allocated") == 1)
        let ready = try await RawSocketClient.get(port: server.port, path: "/readyz")
        #expect(ready.status == 200 && ready.body == "ready\nagones: Allocated\n")
        // A gateway that refuses the watch is retried with backoff, not in a loop.
        sdk.answer(.internalServerError, to: "/watch")
        sdk.dropWatches()
        try await Task.sleep(for: .seconds(2))
        #expect(sdk.watchesOpened == 2)
        #expect(sdk.count("watch/gameserver") <= 5, "\(sdk.paths)")
    }

    @Test func anAllocatedInstanceShutsDownOnceDrainedAndEmpty() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        sdk.setState("Ready")
        let server = try await Self.start(sdk)
        try await waitFor { sdk.watchesOpened == 1 }
        let player = try await RawSocketClient.webSocket(port: server.port, path: "/play?player=bob")
        try await waitFor { server.registry.roomSummaries().first?.players == 1 }
        sdk.setState("Allocated")
        try await waitFor { server.server.agones?.isAllocated == true }
        // Agones moves the GameServer to Shutdown (it was deleted): the instance drains.
        sdk.setState("Shutdown")
        try await waitFor { server.server.drain.isDraining }
        #expect(try await RawSocketClient.get(port: server.port, path: "/readyz").status == 503)
        try await waitFor {
            sdk.calls.contains { $0.body == #"{"key":"free-seats","value":"0"}"# }
                && sdk.calls.contains { $0.path == "/v1beta1/counters/players" && $0.body == #"{"capacity":"1","count":"1"}"# }
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(!sdk.paths.contains("shutdown"), "a match is still running")
        await player.close()
        try await server.running.stopped()
        #expect(server.server.drain.state == .closing(.empty))
        #expect(sdk.lastWrite == "shutdown", "\(sdk.paths)")
    }

    @Test func theClientReportsWhatTheGatewayAnswers() async throws {
        let sdk = try await AgonesStandIn.start()
        defer { sdk.stop() }
        let client = AgonesSDKClient(port: sdk.port)
        try await client.ready()
        sdk.answer(.internalServerError, to: "/health")
        await #expect(throws: AgonesSDKClient.Failure.self) { try await client.health() }
        #expect(try await client.gameServerState() == "Scheduled")
        #expect(sdk.paths == ["ready", "health", "gameserver"])
        #expect(AgonesSDKClient.port(environment: ["AGONES_SDK_HTTP_PORT": "9400"]) == 9400)
        #expect(AgonesSDKClient.port(environment: [:]) == 9358)
        #expect(AgonesSDKClient.port(flag: false, environment: [:]) == nil)
        #expect(AgonesSDKClient.port(flag: true, environment: [:]) == 9358)
        #expect(AgonesSDKClient.port(flag: false, environment: ["AGONES_SDK_HTTP_PORT": "9401"]) == 9401)
    }

    @Test func noGatewayIsAnErrorNotAHang() async throws {
        var client = AgonesSDKClient(port: 1)
        client.timeout = .milliseconds(500)
        await #expect(throws: (any Error).self) { try await client.ready() }
    }

    @Test func theReportSendsOnlyWhatChanged() {
        let rooms = [
            RoomSummary(id: 1, map: "m", players: 3, held: 1, bots: 2, capacity: 8, tick: 1),
            RoomSummary(id: 2, map: "m", players: 0, bots: 0, capacity: 8, tick: 1),
        ]
        let report = AgonesReport(summaries: rooms, maxRooms: 3, roomCapacity: 8, draining: false, playerIDs: ["b", "a"])
        #expect(report.players == 4 && report.freeSeats == 2 + 8 + 8 && report.capacity == 22)
        var reported = AgonesReported()
        let first = reported.calls(toReach: report)
        #expect(first == [
            .label(key: "players", value: "4"), .label(key: "free-seats", value: "18"),
            .counter(name: "players", count: 4, capacity: 22), .playerCapacity(22), .playerConnect("a"), .playerConnect("b"),
        ])
        for call in first where call != .playerConnect("b") { reported.accepted(call) }
        // What was refused is asked again; nothing else.
        #expect(reported.calls(toReach: report) == [.playerConnect("b")])
        reported.accepted(.playerConnect("b"))
        let draining = AgonesReport(summaries: rooms, maxRooms: 3, roomCapacity: 8, draining: true, playerIDs: ["b"])
        #expect(reported.calls(toReach: draining) == [
            .label(key: "free-seats", value: "0"), .counter(name: "players", count: 4, capacity: 4), .playerCapacity(4),
            .playerDisconnect("a"),
        ])
    }

    @Test func watchLinesAreSplitAndBounded() throws {
        var splitter = NewlineSplitter(maxLine: 64)
        #expect(try splitter.append(ByteBuffer(string: #"{"result":{"status":{"sta"#)).isEmpty)
        let lines = try splitter.append(ByteBuffer(string: "te\":\"Allocated\"}}}\n\n{\"error\":{}}\n"))
        #expect(lines.map { AgonesGameServerStates.state(ofWatchLine: $0) } == ["Allocated", nil])
        #expect(throws: AgonesSDKClient.Failure.self) { try splitter.append(ByteBuffer(repeating: UInt8(ascii: "x"), count: 65)) }
        var backoff = Backoff(base: .milliseconds(500), cap: .seconds(4))
        #expect([backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed()]
            == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4)])
    }

    @Test func healthFollowsTheTicks() {
        var liveness = TickLiveness()
        func rooms(_ ticks: [UInt64]) -> [RoomSummary] {
            ticks.enumerated().map { RoomSummary(id: $0.offset + 1, map: "m", players: 0, bots: 0, capacity: 1, tick: $0.element) }
        }
        let answers = [[], rooms([10, 20]), rooms([12, 25, 0]), rooms([14, 25, 3]), rooms([16, 30, 5])].map {
            liveness.advanced($0)
        }
        // A new room counts as moving; room 2 stuck at 25 stops the pings once.
        #expect(answers == [true, true, true, false, true])
    }
}
