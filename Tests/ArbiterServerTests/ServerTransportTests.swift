import ArbiterServer
import Foundation
import Testing

/// Against a live server on port 0, through `RawSocketClient`.
@Suite(.timeLimit(.minutes(1)))
struct ServerTransportTests {
    @Test func healthMetricsAndRoomsOverHTTP() async throws {
        let server = try await TestServer.start { $0.rooms = 2 }
        defer { Task { try await server.running.shutdown() } }

        let health = try await RawSocketClient.get(port: server.port, path: "/healthz")
        #expect(health.status == 200)
        #expect(health.body == "ok\n")

        // One game connection so the gauges and counters have something to show.
        let player = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        _ = try await player.nextMessage()
        let metrics = try await RawSocketClient.get(port: server.port, path: "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers.lowercased().contains("content-type: text/plain"))
        #expect(metrics.body.contains("arbiter_websocket_connections 1"))
        #expect(metrics.body.contains("arbiter_rooms 2"))
        #expect(metrics.body.contains("arbiter_tick_duration_seconds_bucket"))
        #expect(metrics.body.contains(#"arbiter_websocket_messages_total{direction="out"}"#))

        let rooms = try await RawSocketClient.get(port: server.port, path: "/rooms")
        #expect(rooms.status == 200)
        let list = try JSONDecoder().decode([RoomSummary].self, from: Data(rooms.body.utf8))
        #expect(list.map(\.id) == [1, 2])
        #expect(list.first?.players == 1)
        // Protocol/README.md §7.2: a JSON array of objects with exactly these keys, sorted; the id
        // is a number (Welcome.room spells it as a decimal string).
        #expect(rooms.headers.lowercased().contains("content-type: application/json"))
        #expect(rooms.body.hasPrefix(#"[{"bots":"#))
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(rooms.body.utf8)) as? [[String: Any]])
        for object in objects {
            #expect(Set(object.keys) == ["bots", "capacity", "free", "held", "id", "map", "players", "tick"])
            #expect(object["id"] as? String == nil && object["id"] as? Int != nil)
            #expect(object["map"] as? String != nil)
        }

        let missing = try await RawSocketClient.get(port: server.port, path: "/nope")
        #expect(missing.status == 404)
        await player.close()
    }

    @Test func textFrameIsRefusedWith1003() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        try await client.sendFrame(opcode: 0x1, payload: Array("hello".utf8))
        let close = try await client.waitForClose()
        #expect(close?.code == 1003)
        #expect(close?.reason.contains("text") == true)
        #expect(server.metric(#"arbiter_protocol_errors_total{kind="text_frame"}"#) == 1)
    }

    @Test func oversizedMessageIsRefusedWith1009() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        try await client.sendFrame(opcode: 0x2, payload: [UInt8](repeating: 7, count: 2048))
        let close = try await client.waitForClose()
        #expect(close?.code == 1009, "\(String(describing: close))")

        // The limit holds for a message split into small fragments too.
        let fragmented = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        let fragments = (0..<5).flatMap { index in
            RawSocketClient.frame(opcode: index == 0 ? 0x2 : 0x0, payload: [UInt8](repeating: 1, count: 300), fin: false)
        }
        try await fragmented.send(bytes: fragments)
        let fragmentedClose = try await fragmented.waitForClose()
        #expect(fragmentedClose?.code == 1009, "\(String(describing: fragmentedClose))")
    }

    @Test(arguments: [
        Array(String(repeating: "garbage ", count: 20).utf8),  // text where frames belong
        [0xF2, 0x83, 0x01, 0x02, 0x03, 0x04, 0x09, 0x09, 0x09],  // reserved bits
        [0x82, 0x03, 0x01, 0x02, 0x03],  // unmasked client frame
        [0x83, 0x80, 0x00, 0x00, 0x00, 0x00],  // reserved opcode 3
        [0x89, 0xFE, 0x00, 0x80],  // ping with a 128-byte payload
    ] as [[UInt8]])
    func malformedFramesAreRefusedWith1002(bytes: [UInt8]) async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        try await client.send(bytes: bytes)
        #expect(try await client.waitForClose()?.code == 1002)

        // Every other client carries on.
        let other = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        _ = try await other.nextMessage()
        await other.close()
    }

    @Test func pingIsAnsweredAndEchoReturnsMessages() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let echo = try await RawSocketClient.webSocket(port: server.port, path: "/echo")
        try await echo.sendFrame(opcode: 0x9, payload: [1, 2, 3])
        #expect(try await echo.nextMessage() == (0xA, [1, 2, 3]))
        try await echo.sendFrame(opcode: 0x1, payload: Array("hé".utf8))
        #expect(try await echo.nextMessage() == (0x1, Array("hé".utf8)))
        try await echo.sendFrame(opcode: 0x1, payload: [0xC3])  // truncated UTF-8
        #expect(try await echo.waitForClose()?.code == 1007)
    }

    @Test func inputsReachTheRoomInOrderAndFramesComeBack() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        for value in [5, 7, -2] as [Int64] {
            try await client.sendFrame(opcode: 0x2, payload: withUnsafeBytes(of: value.bigEndian) { Array($0) })
        }
        // Frames show the running sum: only prefix sums of the inputs in order may appear.
        let sums = try await withTimeout(.seconds(5)) {
            var seen: [Int64] = []
            while seen.last != 10 {
                let message = try await client.nextMessage()
                let sum = message.payload[8..<16].reduce(0) { $0 << 8 | Int64($1) }
                if sum != 0, sum != seen.last { seen.append(sum) }
            }
            return seen
        }
        #expect(Set(sums).isSubset(of: [5, 12, 10]))
        #expect(sums == sums.sorted { [5, 12, 10].firstIndex(of: $0)! < [5, 12, 10].firstIndex(of: $1)! })
        let applied = server.registry.room(id: 1)!.summary
        #expect(applied.players == 1)
        await client.close()
    }

    @Test func stalledReaderIsDroppedWhileOthersKeepReceiving() async throws {
        // Large frames at 120 Hz and a small send buffer fill a stalled socket fast.
        let server = try await TestServer.start(frameSize: 1000) { configuration in
            configuration.tickRate = 120
            configuration.slowClientTimeout = .milliseconds(500)
            configuration.transport.socketSendBuffer = 4096
        }
        defer { Task { try await server.running.shutdown() } }
        let stalled = try await RawSocketClient.webSocket(port: server.port, path: "/play", receiveBuffer: 4096)
        let healthy = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        try await stalled.setReading(false)

        let received = await healthy.countBinaryFrames(for: .seconds(3))
        // 120 frames a second for 3 s; leave room for a loaded CI machine.
        #expect(received > 200)
        #expect(server.metric("arbiter_slow_client_disconnects_total") == 1)

        // Once it reads again, the stalled client finds its connection gone.
        try await stalled.setReading(true)
        try await stalled.waitUntilClosed()
        await healthy.close()
    }

    @Test func shutdownClosesEveryClientWith1001() async throws {
        let server = try await TestServer.start()
        let first = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        let second = try await RawSocketClient.webSocket(port: server.port, path: "/echo")
        _ = try await first.nextMessage()

        let clock = ContinuousClock()
        let started = clock.now
        async let firstClose = first.waitForClose()
        async let secondClose = second.waitForClose()
        try await server.running.shutdown()
        #expect(clock.now - started < .seconds(3))
        for close in try await [firstClose, secondClose] {
            #expect(close?.code == 1001)
            #expect(close?.reason == "server shutting down")
        }
        // Nothing listens any more.
        await #expect(throws: (any Error).self) { try await RawSocketClient.connect(port: server.port) }
    }
}
