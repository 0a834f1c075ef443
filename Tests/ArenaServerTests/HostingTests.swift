import ArbiterProtocol
import ArbiterServer
import ArenaServer
import ArenaTestSupport
import NIOWebSocket
import Testing

/// An Arena instance that drains and rooms that come and go, played by real clients.
@Suite(.timeLimit(.minutes(1)))
struct HostingTests {
    @Test func aDrainingInstanceTurnsNewPlayersAwayWhileTheMatchGoesOn() async throws {
        let server = try await LiveArenaServer.start { $0.resumeGrace = .zero }
        let playing = try await ArenaTestClient(port: server.port)
        _ = try await playing.join(name: "stays")
        server.server.drain.request(from: .request)

        for room: String? in [nil, "1"] {
            let late = try await ArenaTestClient(port: server.port, room: room)
            // Quick-join is refused at once; a room link after its Hello (it might be a resume).
            if room != nil { try late.hello(name: "late") }
            guard case .kick(let kick)? = try await late.next() else { throw TestFailure("no Kick") }
            #expect(kick.reason == .draining && kick.detail == "server draining")
            let info = try await late.socket.closed()
            #expect(info.receivedCode == WebSocketErrorCode(codeNumber: 4009))
            #expect(info.receivedReason == "server draining")
        }
        // The player already in goes on playing...
        let before = try await playing.snapshot { _ in true }.tick
        _ = try await playing.snapshot(limit: 30) { $0.tick >= before + 10 }
        // ...and when it leaves, the instance stops by itself.
        _ = try await playing.socket.close()
        try await server.running.stopped()
        #expect(server.server.drain.state == .closing(.empty))
    }

    @Test func aPlayerWhoDroppedMayComeBackWhileTheInstanceDrains() async throws {
        let server = try await LiveArenaServer.start { $0.resumeGrace = .seconds(5) }
        let first = try await ArenaTestClient(port: server.port)
        let welcome = try await first.join(name: "dropper")
        _ = try await first.skip(2)
        _ = try await first.socket.close()
        server.server.drain.request(from: .request)
        // Still in its resume grace, the player counts: the instance waits for it.
        try await Task.sleep(for: .milliseconds(300))
        #expect(!server.server.drain.isClosing)

        let back = try await ArenaTestClient(port: server.port, room: welcome.room)
        let resumed = try await back.join(name: "dropper", token: welcome.resumeToken)
        #expect(resumed.resumed && resumed.playerId == welcome.playerId)
        _ = try await back.skip(2)
        try await server.stop()
    }

    @Test func aRoomQuickJoinCreatedStopsWhenItStaysEmpty() async throws {
        let server = try await LiveArenaServer.start {
            $0.roomCapacity = 1
            $0.maxRooms = 2
            $0.resumeGrace = .zero
            // Roomy for a loaded machine: the idle timeout must exceed the handshake timeout.
            $0.handshakeTimeout = .seconds(1)
            $0.roomIdleTimeout = .milliseconds(1500)
        }
        let first = try await ArenaTestClient(port: server.port)
        _ = try await first.join(name: "first")
        try await waitFor { server.rooms.roomSummaries().first?.players == 1 }
        let second = try await ArenaTestClient(port: server.port)
        _ = try await second.join(name: "second")
        #expect(server.rooms.rooms.map(\.id) == [1, 2], "quick-join created room 2")
        let room = try #require(server.rooms.room(id: 2))
        // While someone plays there, room 2 stays well past its idle timeout.
        try await Task.sleep(for: .seconds(2))
        #expect(!room.isStopped)
        _ = try await second.socket.close()
        try await waitFor { room.isStopped }
        #expect(server.rooms.rooms.map(\.id) == [1])
        #expect(PrometheusText(server.metrics.render()).value("arbiter_rooms") == 1)
        try await server.stop()
    }
}
