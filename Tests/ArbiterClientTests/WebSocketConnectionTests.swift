import NIOCore
import NIOPosix
import NIOWebSocket
import Testing

@testable import ArbiterClient

@Suite("WebSocket client against an in-process NIO server", .timeLimit(.minutes(1)))
struct WebSocketConnectionTests {
    let group = MultiThreadedEventLoopGroup.singleton

    @Test("binary messages of every header size round-trip, masked with a fresh key per frame")
    func binaryRoundTrip() async throws {
        let server = try await TestWebSocketServer.start()
        let client = try await AsyncWebSocketConnection.connect(to: server.url("/echo"), group: self.group)
        var replies = client.messages.makeAsyncIterator()
        var events = server.events.makeAsyncIterator()
        let sizes = [0, 1, 13, 125, 126, 65535, 65536, 200_000]
        var keys: [[UInt8]] = []
        for size in sizes {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ size) }
            client.send(bytes)
            let reply = try #require(await replies.next())
            #expect(Array(reply.readableBytesView) == bytes, "echo of \(size) bytes")
            guard case .binary(let seen, let masked, let key)? = await events.next() else {
                Issue.record("server saw no binary frame for \(size) bytes")
                return
            }
            #expect(seen == bytes)
            #expect(masked)
            if let key { keys.append([key[0], key[1], key[2], key[3]]) }
        }
        #expect(Set(keys).count == sizes.count, "a new masking key for every frame")

        let stats = try await client.statistics()
        let payload = sizes.reduce(0, +)
        #expect(stats.messagesOut == sizes.count)
        #expect(stats.messagesIn == sizes.count)
        #expect(stats.bytesOut == payload)
        #expect(stats.bytesIn == payload)
        #expect(stats.wireBytesOut == sizes.reduce(0) { $0 + ClientFrameWriter.headerSize(payloadLength: $1) + $1 })
        #expect(stats.wireBytesIn == sizes.reduce(0) { $0 + WebSocketStatistics.serverFrameHeaderSize(payloadLength: $1) + $1 })
        #expect(stats.handshakeTime != nil)

        let info = try await client.close(code: .goingAway, reason: "done")
        #expect(info.wasClean)
        #expect(info.sentCode == .goingAway)
        #expect(info.receivedCode == .goingAway)
        #expect(info.error == nil)
        #expect(await events.next() == .close(code: 1001, reason: "done"))
        try await server.stop()
    }

    @Test("a ping is answered with a masked pong carrying the same payload")
    func pingAnswered() async throws {
        let server = try await TestWebSocketServer.start()
        let client = try await AsyncWebSocketConnection.connect(to: server.url("/ping"), group: self.group)
        var events = server.events.makeAsyncIterator()
        #expect(await events.next() == .pong(Array("are you there?".utf8), masked: true))
        try await client.close()
        try await server.stop()
    }

    @Test("the close code and reason the server sent are reported, and the close is echoed")
    func serverClose() async throws {
        let server = try await TestWebSocketServer.start()
        let client = try await AsyncWebSocketConnection.connect(to: server.url("/close"), group: self.group)
        let info = try await client.closed()
        #expect(info.receivedCode == WebSocketErrorCode(codeNumber: 4000))
        #expect(info.receivedReason == "bye")
        #expect(info.sentCode == WebSocketErrorCode(codeNumber: 4000))
        #expect(info.wasClean)
        #expect(info.error == nil)
        var events = server.events.makeAsyncIterator()
        #expect(await events.next() == .close(code: 4000, reason: ""))
        try await server.stop()
    }

    @Test("an incoming message over maxMessageSize closes with 1009", arguments: [
        "/send?n=1001",  // one frame over the limit: the frame decoder refuses it
        "/send?n=3000&fragments=3",  // fragments under the limit that add up over it
    ])
    func oversizedMessage(target: String) async throws {
        let server = try await TestWebSocketServer.start()
        var configuration = WebSocketClientConfiguration()
        configuration.maxMessageSize = 1000
        let client = try await AsyncWebSocketConnection.connect(to: server.url(target), configuration: configuration, group: self.group)
        let info = try await client.closed()
        #expect(info.error == .messageTooLarge)
        #expect(info.sentCode == .messageTooLarge)
        var received = 0
        for await _ in client.messages { received += 1 }
        #expect(received == 0)
        var events = server.events.makeAsyncIterator()
        #expect(await events.next() == .close(code: 1009, reason: ""))
        try await server.stop()
    }

    @Test("a fragmented message within the limit is reassembled")
    func fragmentedMessage() async throws {
        let server = try await TestWebSocketServer.start()
        var configuration = WebSocketClientConfiguration()
        configuration.maxMessageSize = 1000
        let client = try await AsyncWebSocketConnection.connect(
            to: server.url("/send?n=1000&fragments=4"), configuration: configuration, group: self.group)
        var messages = client.messages.makeAsyncIterator()
        let message = try #require(await messages.next())
        #expect(Array(message.readableBytesView) == (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try await client.close()
        try await server.stop()
    }

    @Test("a text message fails the connection with 1003")
    func textMessage() async throws {
        let server = try await TestWebSocketServer.start()
        let client = try await AsyncWebSocketConnection.connect(to: server.url("/text"), group: self.group)
        let info = try await client.closed()
        #expect(info.error == .unsupportedData)
        var events = server.events.makeAsyncIterator()
        #expect(await events.next() == .close(code: 1003, reason: ""))
        try await server.stop()
    }

    @Test("closing gives up after closeTimeout when the peer never answers")
    func closeTimeout() async throws {
        let server = try await TestWebSocketServer.start()
        var configuration = WebSocketClientConfiguration()
        configuration.closeTimeout = .milliseconds(200)
        let client = try await AsyncWebSocketConnection.connect(to: server.url("/mute"), configuration: configuration, group: self.group)
        let started = ContinuousClock.now
        let info = try await client.close(code: .normalClosure, reason: "")
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        #expect(info.error == .timedOut)
        #expect(!info.wasClean)
        #expect(info.sentCode == .normalClosure)
        try await server.stop()
    }

    @Test("connecting to a closed port fails with a clear error")
    func closedPort() async throws {
        let listener = try await CannedServer.start(reply: nil)
        let port = listener.port
        try await listener.stop()
        let url = WebSocketURL(host: "127.0.0.1", port: port, path: "/play")
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: url, group: self.group)
        }
        #expect(error == .connectFailed)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true, "\(String(describing: error))")
    }

    @Test("an HTTP answer instead of an upgrade is reported with its status")
    func upgradeRejected() async throws {
        let server = try await TestWebSocketServer.start()
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: server.url("/nowhere"), group: self.group)
        }
        #expect(error == .upgradeRejected)
        #expect(error?.description.contains("404") == true, "\(String(describing: error))")
        try await server.stop()
    }

    @Test("a 101 with a wrong Sec-WebSocket-Accept is refused")
    func wrongAcceptKey() async throws {
        let reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        let server = try await CannedServer.start(reply: Array(reply.utf8))
        let url = WebSocketURL(host: "127.0.0.1", port: server.port, path: "/play")
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: url, group: self.group)
        }
        #expect(error == .handshakeFailed)
        try await server.stop()
    }

    @Test("a server that never answers the upgrade times out")
    func handshakeTimeout() async throws {
        let server = try await CannedServer.start(reply: nil)
        var configuration = WebSocketClientConfiguration()
        configuration.connectTimeout = .milliseconds(200)
        let url = WebSocketURL(host: "127.0.0.1", port: server.port, path: "/play")
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: url, configuration: configuration, group: self.group)
        }
        #expect(error == .timedOut)
        try await server.stop()
    }

    @Test("many delegate-driven connections share two event loops; callbacks run on each connection's loop")
    func manyConnectionsOnOneGroup() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await TestWebSocketServer.start()
        let url = try server.url("/echo")
        let results = try await withThrowingTaskGroup(of: EchoBot.Result.self) { tasks in
            for _ in 0..<40 {
                let loop = group.next()
                tasks.addTask {
                    try await loop.flatSubmit {
                        let bot = EchoBot(messages: 25, eventLoop: loop)
                        let done = bot.done
                        WebSocketClient.connect(to: url, on: loop, delegate: bot).whenFailure { done.fail($0) }
                        return done.futureResult
                    }.get()
                }
            }
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 40)
        for result in results {
            #expect(result.received == 25)
            #expect(result.allCallbacksOnLoop)
            #expect(result.info.wasClean)
            #expect(result.statistics.messagesOut == 25)
        }
        try await server.stop()
        try await group.shutdownGracefully()
    }
}

/// Sends `messages` numbered messages one after the other, each when the previous echo arrives,
/// then closes; all of it from the event loop, as a bot would.
private final class EchoBot: WebSocketConnectionDelegate {
    struct Result: Sendable {
        var received: Int
        var allCallbacksOnLoop: Bool
        var info: WebSocketCloseInfo
        var statistics: WebSocketStatistics
    }

    let messages: Int
    let eventLoop: any EventLoop
    let done: EventLoopPromise<Result>
    private var received = 0
    private var onLoop = true
    private var statistics = WebSocketStatistics()

    init(messages: Int, eventLoop: any EventLoop) {
        self.messages = messages
        self.eventLoop = eventLoop
        self.done = eventLoop.makePromise()
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {
        self.onLoop = self.onLoop && self.eventLoop.inEventLoop
        connection.send(bytes: [0, 0])
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: ByteBuffer) {
        self.onLoop = self.onLoop && self.eventLoop.inEventLoop
        if message.getInteger(at: message.readerIndex, as: UInt16.self) == UInt16(self.received) {
            self.received += 1
        }
        if self.received < self.messages {
            connection.send(bytes: [UInt8(self.received >> 8), UInt8(self.received & 0xFF)])
        } else {
            self.statistics = connection.statistics
            connection.close()
        }
    }

    func webSocket(_ connection: WebSocketConnection, didCloseWith info: WebSocketCloseInfo) {
        self.onLoop = self.onLoop && self.eventLoop.inEventLoop
        self.done.succeed(Result(received: self.received, allCallbacksOnLoop: self.onLoop, info: info, statistics: self.statistics))
    }
}
