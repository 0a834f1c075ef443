import ArbiterClient
import ArbiterProtocol
import ArbiterServer
import ArenaServer
import ArenaTestSupport
import NIOWebSocket
import Testing

@Suite(.serialized) struct ArenaGameTests {
    @Test func joinAndSeeYourOwnEntity() async throws {
        let server = try await LiveArenaServer.start()
        let client = try await ArenaTestClient(port: server.port)
        let welcome = try await client.join(name: "Ada")
        #expect(welcome.tickRate == 60 && welcome.map == "duel" && welcome.resumeToken.count == 16)
        guard case .mapInfo(let map)? = try await client.next() else { throw TestFailure("no MapInfo after Welcome") }
        #expect(map.width > 0 && !map.walls.isEmpty && map.tuning.maxSpeed > 0)
        let snapshot = try await client.snapshot { $0.player(welcome.playerId) != nil }
        #expect(snapshot.player(welcome.playerId)?.name == "Ada")
        #expect(snapshot.own.alive && snapshot.own.health > 0)
        try await server.stop()
    }

    @Test func twoClientsSeeEachOtherMove() async throws {
        let server = try await LiveArenaServer.start()
        let a = try await ArenaTestClient(port: server.port)
        let b = try await ArenaTestClient(port: server.port)
        let aID = try await a.join(name: "A").playerId
        let bID = try await b.join(name: "B").playerId
        // Each sees the other (the duel map fits in one view).
        let start = try await b.snapshot { $0.player(aID) != nil }.player(aID)!
        _ = try await a.snapshot { $0.player(bID) != nil }
        // A moves right; B watches A's x grow.
        var moved: Double?
        for _ in 0..<120 where moved == nil {
            _ = try await a.snapshot(moveX: 127) { _ in true }
            let seen = try await b.snapshot(moveX: 0) { _ in true }.player(aID)?.x ?? 0
            if seen > start.x + 20 { moved = seen }
        }
        #expect((moved ?? 0) > start.x + 20)
        try await server.stop()
    }

    @Test func inputSequenceNumbersAreEchoedInOrder() async throws {
        let server = try await LiveArenaServer.start()
        let client = try await ArenaTestClient(port: server.port)
        _ = try await client.join()
        var acks: [UInt32] = []
        var sent: UInt32 = 0
        for _ in 0..<40 {
            sent = try client.input(moveY: 50)
            let s = try await client.snapshot { _ in true }
            acks.append(s.ackSeq)
        }
        #expect(acks == acks.sorted(), "acks go backwards: \(acks)")
        #expect(acks.last! > 0 && acks.last! <= sent)
        #expect(acks.last! >= sent - 4, "the server lags \(sent - acks.last!) inputs behind")
        try await server.stop()
    }

    @Test func aLateJoinerGetsAFullSnapshotThenDeltas() async throws {
        let server = try await LiveArenaServer.start { $0.fillBots = 2 }
        let early = try await ArenaTestClient(port: server.port)
        _ = try await early.join(name: "early")
        try await early.skip(30)
        let late = try await ArenaTestClient(port: server.port)
        let id = try await late.join(name: "late").playerId
        var modes: [UInt8] = []
        for _ in 0..<10 {
            _ = try await late.snapshot { _ in true }
            modes.append(late.lastRaw[1] & 1)  // the bit after the id: 0 full, 1 delta
        }
        #expect(modes.first == 0, "first snapshot must be full")
        #expect(modes.dropFirst().allSatisfy { $0 == 1 }, "then deltas: \(modes)")
        // The full snapshot carried the bots and the late joiner itself.
        #expect(late.lastSnapshot!.player(id) != nil)
        #expect(late.lastSnapshot!.entities.filter { if case .player = $0.value { true } else { false } }.count >= 2, "the full snapshot shows other ships too")
        try await server.stop()
    }

    @Test func aSchemaHashMismatchIsRefusedWithItsReason() async throws {
        let server = try await LiveArenaServer.start()
        let client = try await ArenaTestClient(port: server.port)
        try client.hello(hash: [UInt8](repeating: 0x9c, count: 32))
        guard case .kick(let kick)? = try await client.next() else { throw TestFailure("no Kick") }
        #expect(kick.reason == .protocolMismatch)
        let info = try await client.socket.closed()
        #expect(info.receivedCode == WebSocketErrorCode(codeNumber: 4000))
        #expect(info.receivedReason == "protocol mismatch: server \(ArenaProtocol.schemaHashHex.prefix(8))…, client 9c9c9c9c…")
        #expect(kick.detail == info.receivedReason)
        try await server.stop()
    }

    @Test func malformedMessagesCloseOnlyTheirSender() async throws {
        let server = try await LiveArenaServer.start()
        let good = try await ArenaTestClient(port: server.port)
        _ = try await good.join(name: "good")
        let bad = try await ArenaTestClient(port: server.port)
        _ = try await bad.join(name: "bad")
        bad.socket.send([4, 0xFF])  // an Input cut short
        var closeInfo: WebSocketCloseInfo?
        while true {
            guard (try await bad.next()) != nil else { break }
        }
        closeInfo = try await bad.socket.closed()
        #expect(closeInfo?.receivedCode == .protocolError)
        #expect(closeInfo?.receivedReason.hasPrefix("malformed message: truncated message at bit") == true)
        let before = try await good.snapshot { _ in true }.tick
        let after = try await good.snapshot(limit: 20) { $0.tick >= before + 10 }.tick
        #expect(after >= before + 10)
        try await server.stop()
    }

    @Test func aResumeKeepsThePlayerAndItsScore() async throws {
        let server = try await LiveArenaServer.start()
        let first = try await ArenaTestClient(port: server.port)
        let welcome = try await first.join(name: "Ada")
        let before = try await first.snapshot(limit: 120, moveX: 127) { $0.own.x > 0 && $0.ackSeq > 30 }
        _ = try await first.socket.close(code: .normalClosure, reason: "dropped")
        let second = try await ArenaTestClient(port: server.port)
        let again = try await second.join(name: "Ada", token: welcome.resumeToken)
        #expect(again.resumed)
        #expect(again.playerId == welcome.playerId)
        let after = try await second.snapshot { _ in true }
        #expect(after.own.kills == before.own.kills && after.own.deaths == before.own.deaths && after.own.score == before.own.score)
        // Same ship: it is still near where it was, not at a fresh spawn point.
        #expect(abs(after.own.x - before.own.x) < 64 && abs(after.own.y - before.own.y) < 64)
        #expect(second.lastRaw[1] & 1 == 0, "a resumed player's first snapshot is full")
        try await server.stop()
    }

    /// Protocol/README.md §5: `seq` does not restart on a resume. The resumed connection's first
    /// Snapshot acknowledges the last Input of the dropped one; the new connection's own numbers
    /// are echoed once applied (the server never checks them).
    @Test func aResumeKeepsTheLastAppliedSeq() async throws {
        let server = try await LiveArenaServer.start()
        let first = try await ArenaTestClient(port: server.port)
        let welcome = try await first.join(name: "Ada")
        _ = try await first.snapshot(limit: 120, moveX: 50) { $0.ackSeq >= 10 }
        let last = try first.input()
        _ = try await first.snapshot { $0.ackSeq == last }
        _ = try await first.socket.close(code: .normalClosure, reason: "dropped")
        let second = try await ArenaTestClient(port: server.port)
        #expect(try await second.join(name: "Ada", token: welcome.resumeToken).resumed)
        #expect(try await second.snapshot { _ in true }.ackSeq == last)
        let restarted = try second.input()
        #expect(restarted == 1)
        _ = try await second.snapshot { $0.ackSeq == restarted }
        try await server.stop()
    }

    /// §7.1: `?room=` naming no room is refused right after the upgrade, before any Hello.
    @Test func anUnknownRoomIsRefusedBeforeHello() async throws {
        let server = try await LiveArenaServer.start()
        for room in ["99", "lobby"] {
            let client = try await ArenaTestClient(port: server.port, room: room)
            guard case .kick(let kick)? = try await client.next() else { throw TestFailure("no Kick") }
            #expect(kick.reason == .unknownRoom && kick.detail == "unknown room")
            let info = try await client.socket.closed()
            #expect(info.receivedCode == WebSocketErrorCode(codeNumber: 4006))
            #expect(info.receivedReason == "unknown room")
        }
        try await server.stop()
    }

    @Test func anUnknownResumeTokenJoinsAsANewPlayer() async throws {
        let server = try await LiveArenaServer.start()
        let client = try await ArenaTestClient(port: server.port)
        let welcome = try await client.join(token: [UInt8](repeating: 7, count: 16))
        #expect(!welcome.resumed)
        try await server.stop()
    }

    @Test func aFullRoomIsRefused() async throws {
        let server = try await LiveArenaServer.start {
            $0.roomCapacity = 1
            $0.maxRooms = 1
        }
        let first = try await ArenaTestClient(port: server.port, room: "1")
        _ = try await first.join()
        let second = try await ArenaTestClient(port: server.port, room: "1")
        try second.hello()
        guard case .kick(let kick)? = try await second.next() else { throw TestFailure("no Kick") }
        #expect(kick.reason == .roomFull)
        #expect(try await second.socket.closed().receivedCode == WebSocketErrorCode(codeNumber: 4001))
        try await server.stop()
    }

    @Test func shutdownClosesPlayersWith1001() async throws {
        let server = try await LiveArenaServer.start()
        let client = try await ArenaTestClient(port: server.port)
        _ = try await client.join()
        _ = try await client.snapshot { _ in true }
        try await server.stop()
        let info = try await client.socket.closed()
        #expect(info.receivedCode == .goingAway)
        #expect(info.receivedReason == "server shutting down")
    }

    @Test func aClientThatNeverSaysHelloIsClosedAfterTheHandshakeTimeout() async throws {
        let server = try await LiveArenaServer.start { $0.handshakeTimeout = .milliseconds(300) }
        let client = try await ArenaTestClient(port: server.port)
        guard case .kick(let kick)? = try await client.next() else { throw TestFailure("no Kick") }
        #expect(kick.reason == .handshakeTimeout)
        let info = try await client.socket.closed()
        #expect(info.receivedCode == WebSocketErrorCode(codeNumber: 4003))
        #expect(info.receivedReason == "handshake timeout")
        try await server.stop()
    }
}
