import ArbiterProtocol
import ArbiterServer
import ArenaServer
import ArenaTestSupport
import Crypto
import Foundation
import NIOWebSocket
import Testing

/// Issue 13 against a live server: quick-join that never wrongly refuses, held seats that
/// cannot fill a room, single-use resume tokens, the name policy and signed join tickets.
@Suite struct AdmissionTests {
    /// Three rooms of four (one made at start, two by quick-join), twelve players at once: all
    /// twelve get in, although every one of them picks by summaries that are ticks old.
    @Test func concurrentQuickJoinsFillEverySeatBeforeAnyRefusal() async throws {
        let server = try await LiveArenaServer.start {
            $0.rooms = 1
            $0.maxRooms = 3
            $0.roomCapacity = 4
        }
        let clients = try await withThrowingTaskGroup(of: (ArenaTestClient, Welcome).self) { group in
            for i in 0..<12 {
                group.addTask {
                    let client = try await ArenaTestClient(port: server.port)
                    return (client, try await client.join(name: "p\(i)"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(clients.count == 12)
        #expect(Dictionary(grouping: clients, by: { $0.1.room }).mapValues(\.count) == ["1": 4, "2": 4, "3": 4])
        // Now every seat is taken and no room can be made: the next one is refused.
        let extra = try await ArenaTestClient(port: server.port)
        let (kick, close) = try await extra.refusal(name: "late")
        #expect(kick.reason == .roomFull && close.receivedCode == WebSocketErrorCode(codeNumber: 4001))
        try await server.stop()
    }

    /// Join and drop in a loop from one address: held seats stay within their bound (a quarter of
    /// the room, two per address), and real players still fill the room, displacing the oldest.
    @Test func joinAndDropChurnCannotFillARoom() async throws {
        let server = try await LiveArenaServer.start {
            $0.rooms = 1
            $0.maxRooms = 1
            $0.roomCapacity = 8
        }
        for i in 0..<20 {
            let ghost = try await ArenaTestClient(port: server.port)
            _ = try await ghost.join(name: "ghost\(i)")
            _ = try await ghost.socket.close(code: .normalClosure, reason: "churn")
        }
        try await waitFor { server.rooms.roomSummaries()[0].players == 0 }
        var summary = server.rooms.roomSummaries()[0]
        #expect(summary.players == 0 && summary.held == 2 && summary.free == 6, "\(summary)")
        var players: [ArenaTestClient] = []
        for i in 0..<8 {
            let player = try await ArenaTestClient(port: server.port)
            _ = try await player.join(name: "real\(i)")
            players.append(player)
        }
        try await waitFor { server.rooms.roomSummaries()[0].players == 8 }
        summary = server.rooms.roomSummaries()[0]
        #expect(summary.players == 8 && summary.held == 0 && summary.free == 0, "\(summary)")
        // `/rooms` shows the three counts.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any]
        #expect(Set(json.map { Array($0.keys) } ?? []) == ["id", "map", "players", "held", "bots", "free", "capacity", "tick"])
        try await server.stop()
    }

    /// A token works once: the resumed Welcome carries a new one, and the old one then joins a
    /// new player instead of taking the ship over.
    @Test func resumeTokensAreSingleUse() async throws {
        let server = try await LiveArenaServer.start()
        let first = try await ArenaTestClient(port: server.port, room: "1")
        let original = try await first.join(name: "Ada")
        _ = try await first.socket.close(code: .normalClosure, reason: "drop")
        let second = try await ArenaTestClient(port: server.port, room: "1")
        let resumed = try await second.join(name: "Ada", token: original.resumeToken)
        #expect(resumed.resumed && resumed.playerId == original.playerId)
        #expect(resumed.resumeToken != original.resumeToken && resumed.resumeToken.count == 16)
        _ = try await second.socket.close(code: .normalClosure, reason: "drop again")
        let thief = try await ArenaTestClient(port: server.port, room: "1")
        let stolen = try await thief.join(name: "Eve", token: original.resumeToken)
        #expect(!stolen.resumed && stolen.playerId != original.playerId)
        let third = try await ArenaTestClient(port: server.port, room: "1")
        let again = try await third.join(name: "Ada", token: resumed.resumeToken)
        #expect(again.resumed && again.playerId == original.playerId)
        try await server.stop()
    }

    @Test func namesThatBreakThePolicyOrAreTakenAreRefused() async throws {
        let server = try await LiveArenaServer.start { $0.fillBots = 2 }
        let ada = try await ArenaTestClient(port: server.port, room: "1")
        _ = try await ada.join(name: "Ada")
        for name in ["bot-1", "BOT-2", "bot-9", "ADA", "<script>", "a\u{2028}b", "x\u{E000}", "a" + String(Unicode.Scalar(0xFFFF)!), "Z\u{36B}\u{36B}\u{36B}"] {
            let client = try await ArenaTestClient(port: server.port, room: "1")
            let (kick, close) = try await client.refusal(name: name)
            #expect(kick.reason == .badName && close.receivedCode == WebSocketErrorCode(codeNumber: 4002), "\(name)")
        }
        let zoe = try await ArenaTestClient(port: server.port, room: "1")
        _ = try await zoe.join(name: "Zoe\u{301}")
        try await server.stop()
    }

    @Test func withAJoinSecretOnlyAValidTicketJoins() async throws {
        let secret = Array("the backend and server share it!".utf8)
        let key = SymmetricKey(data: secret)
        let server = try await LiveArenaServer.start {
            $0.rooms = 2
            $0.joinSecret = secret
        }
        let now = JoinTicket.now()
        func ticket(_ name: String = "Ada", room: UInt32? = 1, expires: UInt64? = nil, key signing: SymmetricKey? = nil) -> [UInt8] {
            JoinTicket(name: name, room: room, expires: expires ?? now + 60).signed(with: signing ?? key)
        }
        let refusals: [(String, [UInt8]?)] = [
            ("missing", nil),
            ("expired", ticket(expires: now - 1)),
            ("wrong room", ticket(room: 2)),
            ("wrong name", ticket("Eve")),
            ("bad signature", ticket(key: SymmetricKey(data: Array("some other secret, 32 bytes long".utf8)))),
            ("malformed", [1, 2, 3]),
        ]
        for (why, bytes) in refusals {
            let client = try await ArenaTestClient(port: server.port, room: "1")
            let (kick, close) = try await client.refusal(name: "Ada", ticket: bytes)
            #expect(kick.reason == .badTicket && kick.detail == "bad ticket: \(why)")
            #expect(close.receivedCode == WebSocketErrorCode(codeNumber: 4008) && close.receivedReason == "bad ticket: \(why)")
        }
        let ada = try await ArenaTestClient(port: server.port, room: "1")
        #expect(try await ada.join(name: "Ada", ticket: ticket()).room == "1")
        let anyRoom = try await ArenaTestClient(port: server.port, room: "2")
        #expect(try await anyRoom.join(name: "Bo", ticket: ticket("Bo", room: nil)).room == "2")
        // A ticket's name is the id an orchestrator hears (Agones PlayerConnect).
        #expect(server.server.players.ids == ["Ada", "Bo"])
        try await server.stop()
    }

    /// Joins and leaves reach `GameServer.players` (what Agones player tracking reports):
    /// without a ticket a player is known by its seat, and the refused never appear.
    @Test func playersWhoJoinAreReportedUntilTheyLeave() async throws {
        let server = try await LiveArenaServer.start { $0.roomCapacity = 1 }
        let player = try await ArenaTestClient(port: server.port, room: "1")
        let welcome = try await player.join(name: "Ada")
        #expect(server.server.players.ids == ["room1-player\(welcome.playerId)"])
        let refused = try await ArenaTestClient(port: server.port, room: "1")
        _ = try await refused.refusal(name: "Bo")
        #expect(server.server.players.ids.count == 1)
        _ = try await player.socket.close()
        try await waitFor { server.server.players.ids.isEmpty }
        try await server.stop()
    }
}
