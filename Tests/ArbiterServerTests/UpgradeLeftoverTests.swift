import ArbiterServer
import Testing

/// A client may send its first frames in the same packet as the upgrade request. The server
/// used to crash on that (process exit) when the endpoint's frame limit differed from the
/// upgrader's: the first-request fuzz target (Tests/Fuzz/FirstRequest) found it.
@Suite(.timeLimit(.minutes(1)))
struct UpgradeLeftoverTests {
    @Test func anUpgradeAndAFrameInOneWriteAreServed() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.running.shutdown() } }
        let head = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        for _ in 0..<3 {
            let client = try await RawSocketClient.connect(port: server.port)
            try await client.send(bytes: Array(head.utf8) + [0x82, 0x85, 0, 0, 0, 0] + Array("hello".utf8))
            var events = client.events.makeAsyncIterator()
            guard case .http(let status, _, _)? = await events.next() else { throw TestFailure("no upgrade answer") }
            #expect(status == 101)
            guard case .frame(let opcode, let payload)? = await events.next() else { throw TestFailure("no echo") }
            #expect(opcode == 0x2 && payload == Array("hello".utf8))
        }
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz").status == 200)
    }
}
