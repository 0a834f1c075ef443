import ArbiterServer
import Foundation
import Testing

/// The way out of a live server: readiness, the admin drain, matches that go on, the timeout.
@Suite(.timeLimit(.minutes(1)))
struct DrainTests {
    static let token = "0123456789abcdef-test"

    @Test func healthEndpointsAndTheAdminDrain() async throws {
        let server = try await TestServer.start { $0.adminToken = Self.token }
        defer { Task { try await server.running.shutdown() } }
        for path in ["/livez", "/healthz", "/readyz"] {
            #expect(try await RawSocketClient.get(port: server.port, path: path).status == 200, "\(path)")
        }
        // A player keeps the room busy, so the drain does not end at once.
        let player = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        try await waitFor { server.registry.roomSummaries().first?.players == 1 }

        let anonymous = try await RawSocketClient.request(port: server.port, method: "POST", path: "/admin/drain")
        #expect(anonymous.status == 401)
        let wrong = try await RawSocketClient.request(
            port: server.port, method: "POST", path: "/admin/drain", headers: ["Authorization: Bearer 0123456789abcdef-nope"])
        #expect(wrong.status == 401)
        #expect(!server.server.drain.isDraining)

        let accepted = try await RawSocketClient.request(
            port: server.port, method: "POST", path: "/admin/drain", headers: ["Authorization: Bearer \(Self.token)"])
        #expect(accepted.status == 202)
        #expect(server.server.drain.isDraining)
        #expect(try await RawSocketClient.get(port: server.port, path: "/readyz").status == 503)
        #expect(try await RawSocketClient.get(port: server.port, path: "/livez").status == 200)
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz").status == 200)

        // The match goes on while the player stays...
        #expect(await player.countBinaryFrames(for: .milliseconds(300)) > 5)
        // ...and the server stops by itself once the room is empty.
        await player.close()
        try await withTimeout(.seconds(5)) { try await server.running.stopped() }
        #expect(server.server.drain.state == .closing(.empty))
    }

    @Test func withoutATokenThereIsNoAdminEndpoint() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let response = try await RawSocketClient.request(
            port: server.port, method: "POST", path: "/admin/drain", headers: ["Authorization: Bearer anything-at-all-16"])
        #expect(response.status == 404)
        #expect(!server.server.drain.isDraining)
    }

    @Test func theDrainTimeoutClosesTheRestWith1001() async throws {
        let server = try await TestServer.start { $0.drainTimeout = .milliseconds(400) }
        let player = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        try await waitFor { server.registry.roomSummaries().first?.players == 1 }
        let started = ContinuousClock.now
        try await server.running.drainAndStop()
        let took = started.duration(to: .now)
        #expect(took >= .milliseconds(400) && took < .seconds(4), "\(took)")
        #expect(server.server.drain.state == .closing(.timedOut))
        let close = try await player.waitForClose()
        #expect(close?.code == 1001)
    }

    @Test func anEmptyServerDrainsAtOnce() async throws {
        let server = try await TestServer.start()
        let started = ContinuousClock.now
        try await server.running.drainAndStop()
        #expect(started.duration(to: .now) < .seconds(3))
        #expect(server.server.drain.state == .closing(.empty))
    }
}

/// Polls `condition` every 20 ms for up to five seconds.
func waitFor(_ condition: () async -> Bool) async throws {
    for _ in 0..<250 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestFailure("condition not met within 5 s")
}
