import ArbiterServer
import Foundation
import Testing

/// Rooms that come and go: a room created on demand stops after standing empty, and its
/// thread, its row in `/rooms` and its count in `arbiter_rooms` go with it.
@Suite(.timeLimit(.minutes(1)))
struct RoomIdleTests {
    @Test func anEmptyRoomCreatedOnDemandStops() async throws {
        let server = try await TestServer.start {
            $0.maxRooms = 3
            // The first byte of each GET below must come within the handshake timeout: 100 ms
            // closed them now and then when the whole suite ran at once (the idle timeout must
            // exceed it).
            $0.handshakeTimeout = .seconds(1)
            // Long enough for the checks below on a loaded machine.
            $0.roomIdleTimeout = .milliseconds(2500)
        }
        defer { Task { try await server.running.shutdown() } }
        let room = try #require(try server.registry.createRoom())
        #expect(room.id == 2)
        #expect(server.metric("arbiter_rooms") == 2)
        #expect(try await RawSocketClient.get(port: server.port, path: "/rooms").body.contains(#""id":2"#))

        try await waitFor { room.isStopped }
        #expect(server.registry.rooms.map(\.id) == [1], "the room created at start stays")
        #expect(server.metric("arbiter_rooms") == 1)
        #expect(!(try await RawSocketClient.get(port: server.port, path: "/rooms").body.contains(#""id":2"#)))
        // Its place is free again, under a new id.
        #expect(try server.registry.createRoom()?.id == 3)
    }

    @Test func aRoomKeepsRunningWhileSomeonePlays() async throws {
        let server = try await TestServer.start {
            $0.handshakeTimeout = .milliseconds(100)
            $0.roomIdleTimeout = .milliseconds(300)
        }
        defer { Task { try await server.running.shutdown() } }
        // Room 1 is the one created at start: it never retires, even empty.
        try await Task.sleep(for: .milliseconds(700))
        #expect(server.registry.rooms.map(\.id) == [1])
        #expect(await server.registry.retireIdleRooms() == [])
    }

    @Test func shutdownEndsEveryRoomThread() async throws {
        let server = try await TestServer.start { $0.rooms = 4; $0.maxRooms = 4 }
        let rooms = server.registry.rooms
        let started = ContinuousClock.now
        try await server.running.shutdown()
        #expect(rooms.count == 4 && rooms.allSatisfy { $0.isStopped })
        #expect(started.duration(to: .now) < .seconds(3))
        #expect(server.metric("arbiter_rooms") == 0)
    }
}
