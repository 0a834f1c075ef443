import ArbiterServer
import Foundation
import NIOCore
import Testing

/// Hostile clients against a live server (issue 13): every connection state times out, bad
/// requests and upgrades get their status and a close, a flood cannot lock out `/healthz` or a
/// client already in. Timeouts are short here; the margins leave room for a loaded machine.
@Suite(.timeLimit(.minutes(1)))
struct TransportHardeningTests {
    static func hardenedServer(_ configure: @escaping (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        try await TestServer.start { configuration in
            configuration.handshakeTimeout = .seconds(1)
            configuration.requestTimeout = .seconds(1)
            configuration.idleTimeout = .seconds(1)
            configure(&configuration)
        }
    }

    /// A WebSocket client alongside the attack: its echo still comes back.
    static func expectHealthy(_ server: TestServer, _ client: RawSocketClient) async throws {
        try await client.sendFrame(opcode: 0x2, payload: [1, 2, 3])
        let echo = try await client.nextMessage()
        #expect(echo.payload == [1, 2, 3])
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz").status == 200)
    }

    // MARK: Timeouts

    @Test func oneByteThenSilenceIsClosedAtTheRequestTimeout() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let healthy = try await RawSocketClient.webSocket(port: server.port, path: "/echo")
        // The timeout runs from accept, so the clock starts before connecting.
        let start = ContinuousClock.now
        let attacker = try await RawSocketClient.connect(port: server.port)
        try await attacker.send("G")
        try await attacker.waitUntilClosed(timeout: .seconds(6))
        let elapsed = ContinuousClock.now - start
        // 1 s; the upper bound leaves room for a loaded machine and is far below "never".
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "closed after \(elapsed)")
        #expect(server.metric(#"arbiter_connection_timeouts_total{state="request"}"#) == 1)
        try await Self.expectHealthy(server, healthy)
        await healthy.close()
    }

    @Test func silentConnectionIsClosedAtTheHandshakeTimeout() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let attacker = try await RawSocketClient.connect(port: server.port)
        try await attacker.waitUntilClosed(timeout: .seconds(5))
        #expect(server.metric(#"arbiter_connection_timeouts_total{state="first_byte"}"#) == 1)
    }

    @Test func headersAtOneBytePer200msAreClosedAtTheRequestTimeout() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let attacker = try await RawSocketClient.connect(port: server.port)
        let start = ContinuousClock.now
        let dripping = Task {
            for byte in Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: \(String(repeating: "a", count: 100))".utf8) {
                try await attacker.send(bytes: [byte])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { dripping.cancel() }
        let status = try await attacker.response(timeout: .seconds(6))?.status
        let elapsed = ContinuousClock.now - start
        #expect(status == nil, "a slow request must not be answered")
        #expect(elapsed < .seconds(4), "closed after \(elapsed)")
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz").status == 200)
    }

    @Test func idleKeepAliveIsClosedAtTheIdleTimeout() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.connect(port: server.port)
        try await client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let start = ContinuousClock.now
        // The client reports a non-101 response when the connection ends: that is the idle close.
        let response = try await client.response(timeout: .seconds(6))
        let elapsed = ContinuousClock.now - start
        #expect(response?.status == 200)
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "closed after \(elapsed)")
    }

    @Test func stalledReaderIsClosedWith4005ByTimeWhateverTheKernelBuffers() async throws {
        // Default socket buffers: ~270 KB would take the kernels 15 s at this rate to fill.
        let server = try await TestServer.start(frameSize: 300) { configuration in
            configuration.slowClientTimeout = .milliseconds(500)
            configuration.transport.socketSendBuffer = nil
        }
        defer { Task { try await server.running.shutdown() } }
        let stalled = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        let healthy = try await RawSocketClient.webSocket(port: server.port, path: "/play")
        _ = try await stalled.nextMessage()
        try await stalled.setReading(false)
        let start = ContinuousClock.now
        while server.metric("arbiter_slow_client_disconnects_total") != 1, ContinuousClock.now - start < .seconds(4) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .milliseconds(2500), "dropped after \(elapsed); the timeout is 500 ms")
        // Reading again before the server closes TCP, the client finds its close frame.
        try await stalled.setReading(true)
        let close = try await stalled.waitForClose()
        #expect(close?.code == 4005 && close?.reason == "slow client")
        let received = await healthy.countBinaryFrames(for: .seconds(1))
        #expect(received > 30, "the healthy client keeps its frames")
        await healthy.close()
    }

    @Test func laterRequestWithADrippingBodyIsClosedAtTheRequestTimeout() async throws {
        let server = try await Self.hardenedServer { $0.idleTimeout = .seconds(5) }
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.connect(port: server.port)
        try await client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try await client.send("POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n")
        let start = ContinuousClock.now
        let dripping = Task {
            for _ in 0..<100 {
                try await client.send("a")
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        defer { dripping.cancel() }
        try await client.waitUntilClosed(timeout: .seconds(6))
        let elapsed = ContinuousClock.now - start
        // The request timeout (1 s), not the idle timeout (5 s) that each byte would renew.
        #expect(elapsed < .seconds(4), "closed after \(elapsed)")
    }

    @Test func httpClientThatStopsReadingItsResponseIsClosed() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-big-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("src"), withIntermediateDirectories: true)
        let size = 32 << 20  // far more than the kernels buffer
        try Data(count: size).write(to: root.appendingPathComponent("src/big.js"))
        // A web root must hold the client's page.
        try Data("<!doctype html>".utf8).write(to: root.appendingPathComponent("index.html"))
        let server = try await Self.hardenedServer { configuration in
            configuration.webRoot = .folder(root.path)
            configuration.slowClientTimeout = .milliseconds(500)
        }
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.connect(port: server.port, receiveBuffer: 4096)
        try await client.setReading(false)
        try await client.send("GET /src/big.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let start = ContinuousClock.now
        while server.metric(#"arbiter_connection_timeouts_total{state="response_write"}"#) != 1, ContinuousClock.now - start < .seconds(6) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ContinuousClock.now - start < .seconds(4), "the response's writer waited \(ContinuousClock.now - start)")
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz").status == 200)
    }

    // MARK: Bad requests

    @Test func badRequestsGetTheirStatusThenAClose() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let healthy = try await RawSocketClient.webSocket(port: server.port, path: "/echo")
        let host = "Host: 127.0.0.1\r\n"
        let cases: [(name: String, request: [UInt8], status: Int)] = [
            ("garbage", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x0D, 0x0A, 0x0D, 0x0A], 400),
            ("1 MiB URL", Array("GET /\(String(repeating: "a", count: 1 << 20)) HTTP/1.1\r\n\(host)\r\n".utf8), 414),
            ("1 MiB header", Array("GET / HTTP/1.1\r\n\(host)X-Big: \(String(repeating: "a", count: 1 << 20))\r\n\r\n".utf8), 431),
            ("unknown method", Array("BREW /healthz HTTP/1.1\r\n\(host)\r\n".utf8), 400),
            ("HTTP/9.9", Array("GET /healthz HTTP/9.9\r\n\(host)\r\n".utf8), 400),
            ("Content-Length and Transfer-Encoding", Array("POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8), 400),
            ("raw UTF-8 in the query", Array("GET /healthz?name=Zoë HTTP/1.1\r\n\(host)\r\n".utf8), 400),
            ("encoded NUL in the path", Array("GET /index.html%00.js HTTP/1.1\r\n\(host)\r\n".utf8), 400),
            ("no Host", Array("GET /healthz HTTP/1.1\r\n\r\n".utf8), 400),
            ("large body", Array("POST /healthz HTTP/1.1\r\n\(host)Content-Length: 1000000\r\n\r\n".utf8), 413),
        ]
        for testCase in cases {
            let client = try await RawSocketClient.connect(port: server.port)
            // The server may close while a 1 MiB request is still going out.
            try? await client.send(bytes: testCase.request)
            let response = try await client.response(timeout: .seconds(4))
            #expect(response?.status == testCase.status, "\(testCase.name)")
            #expect(response?.headers.lowercased().contains("connection: close") == true, "\(testCase.name)")
        }
        try await Self.expectHealthy(server, healthy)
        #expect(server.metric(#"arbiter_http_rejected_total{status="414",kind="uri_too_long"}"#) == 1)
        await healthy.close()
    }

    // MARK: Upgrades

    static func upgrade(
        method: String = "GET", version: String = "1.1", key: String? = "dGhlIHNhbXBsZSBub25jZQ==",
        webSocketVersion: String? = "13", origin: String? = nil, host: String
    ) -> String {
        var text = "\(method) /echo HTTP/\(version)\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        if let key { text += "Sec-WebSocket-Key: \(key)\r\n" }
        if let webSocketVersion { text += "Sec-WebSocket-Version: \(webSocketVersion)\r\n" }
        if let origin { text += "Origin: \(origin)\r\n" }
        return text + "\r\n"
    }

    @Test func badUpgradesGet400Or426() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let host = "127.0.0.1:\(server.port)"
        let cases: [(name: String, request: String, status: Int)] = [
            ("key not base64", Self.upgrade(key: "not a key!", host: host), 400),
            ("key of 15 bytes", Self.upgrade(key: "dGhlIHNhbXBsZSBub25j", host: host), 400),
            ("no key", Self.upgrade(key: nil, host: host), 400),
            ("POST", Self.upgrade(method: "POST", host: host), 400),
            ("HTTP/1.0", Self.upgrade(version: "1.0", host: host), 400),
            ("no version", Self.upgrade(webSocketVersion: nil, host: host), 426),
            ("version 8", Self.upgrade(webSocketVersion: "8", host: host), 426),
        ]
        for testCase in cases {
            let client = try await RawSocketClient.connect(port: server.port)
            try await client.send(testCase.request)
            let response = try await client.response(timeout: .seconds(4))
            #expect(response?.status == testCase.status, "\(testCase.name)")
            if testCase.status == 426 {
                #expect(response?.headers.lowercased().contains("sec-websocket-version: 13") == true)
            }
        }
    }

    @Test func foreignOriginIsRefusedWith403() async throws {
        let server = try await Self.hardenedServer()
        defer { Task { try await server.running.shutdown() } }
        let host = "127.0.0.1:\(server.port)"
        let cases: [(origin: String?, status: Int)] = [
            ("http://evil.example", 403), ("null", 403), ("http://127.0.0.1:1", 403),
            ("http://127.0.0.1:\(server.port)", 101), (nil, 101),
        ]
        for testCase in cases {
            let client = try await RawSocketClient.connect(port: server.port)
            try await client.send(Self.upgrade(origin: testCase.origin, host: host))
            let response = try await client.response(timeout: .seconds(4))
            #expect(response?.status == testCase.status, "Origin \(testCase.origin ?? "absent")")
            await client.close()
        }
    }

    @Test func allowListReplacesSameOrigin() async throws {
        let server = try await Self.hardenedServer { $0.allowedOrigins = ["https://game.example"] }
        defer { Task { try await server.running.shutdown() } }
        let host = "127.0.0.1:\(server.port)"
        for (origin, status) in [("https://game.example", 101), ("https://GAME.example:443/", 101), ("http://127.0.0.1:\(server.port)", 403)] {
            let client = try await RawSocketClient.connect(port: server.port)
            try await client.send(Self.upgrade(origin: origin, host: host))
            #expect(try await client.response(timeout: .seconds(4))?.status == status, "\(origin)")
            await client.close()
        }
    }

    // MARK: Connection limits

    @Test func floodOfIdleSocketsDoesNotLockOutHealthzOrPlayers() async throws {
        let server = try await Self.hardenedServer { configuration in
            configuration.maxConnections = 12
            configuration.maxConnectionsPerAddress = 8
            configuration.transport.limitsLoopbackPerAddress = true
            configuration.handshakeTimeout = .seconds(20)
            configuration.requestTimeout = .seconds(20)
        }
        defer { Task { try await server.running.shutdown() } }
        let healthy = try await RawSocketClient.webSocket(port: server.port, path: "/echo")
        var flood: [RawSocketClient] = []
        for _ in 0..<30 { flood.append(try await RawSocketClient.connect(port: server.port)) }
        // Idle sockets give way to newcomers: the per-address cap holds at 8, /healthz answers.
        for _ in 0..<5 {
            #expect(try await RawSocketClient.get(port: server.port, path: "/healthz").status == 200)
        }
        try await Self.expectHealthy(server, healthy)
        let evicted = server.metric(#"arbiter_connections_refused_total{reason="evicted_idle"}"#) ?? 0
        #expect(evicted >= 22)
        for client in flood { await client.close() }
        await healthy.close()
    }

    @Test func loopbackIsExemptFromThePerAddressCapByDefault() async throws {
        let server = try await Self.hardenedServer { $0.maxConnectionsPerAddress = 2 }
        defer { Task { try await server.running.shutdown() } }
        var players: [RawSocketClient] = []
        for _ in 0..<4 { players.append(try await RawSocketClient.webSocket(port: server.port, path: "/echo")) }
        for player in players { await player.close() }
        #expect(server.metric(#"arbiter_connections_refused_total{reason="per_address"}"#) == nil)
    }

    @Test func connectionsBeyondThePerAddressCapAreRefusedAtAccept() async throws {
        let server = try await Self.hardenedServer { configuration in
            configuration.maxConnectionsPerAddress = 4
            configuration.transport.limitsLoopbackPerAddress = true
        }
        defer { Task { try await server.running.shutdown() } }
        var players: [RawSocketClient] = []
        for _ in 0..<4 { players.append(try await RawSocketClient.webSocket(port: server.port, path: "/echo")) }
        // Nothing idle to evict: the fifth is closed at once, without a byte.
        // (It can close before the client has finished setting up: that counts as closed.)
        if let refused = try? await RawSocketClient.connect(port: server.port) {
            try await refused.waitUntilClosed(timeout: .seconds(2))
        }
        #expect(server.metric(#"arbiter_connections_refused_total{reason="per_address"}"#) == 1)
        // The server goes on accepting: a place that frees up is taken.
        await players.removeLast().close()
        try await Task.sleep(for: .milliseconds(100))
        players.append(try await RawSocketClient.webSocket(port: server.port, path: "/echo"))
        for player in players {
            try await player.sendFrame(opcode: 0x2, payload: [7])
            #expect(try await player.nextMessage().payload == [7])
            await player.close()
        }
    }
}

extension RawSocketClient {
    /// The HTTP response (101 at once, any other status when the server closes), or nil if
    /// the connection ended without one.
    func response(timeout: Duration) async throws -> (status: Int, headers: String)? {
        try await withTimeout(timeout) {
            for await event in self.events {
                if case .http(let status, let headers, _) = event { return (status, headers) }
                if event == .closed { return nil }
            }
            return nil
        }
    }
}
