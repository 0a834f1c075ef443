import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

@testable import ArbiterServer

/// Game frames written straight to the socket (`DirectSocketWrite`).
@Suite(.timeLimit(.minutes(1)))
struct DirectSocketWriteTests {
    /// The descriptor lookup reads NIO internals; this pins it for the NIO version the package
    /// resolves: an accepted channel's descriptor is found, and it is that connection's socket.
    @Test func findsTheAcceptedSocketsDescriptor() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let accepted = group.next().makePromise(of: (CInt?, Int?).self)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                accepted.succeed((DirectSocketWrite.descriptor(of: channel), channel.remoteAddress?.port))
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: group).connect(to: server.localAddress!).get()
        let (descriptor, peerPort) = try await accepted.futureResult.get()
        #expect(descriptor != nil)
        #expect(peerPort == client.localAddress?.port)
        try await client.close()
        try await server.close()
        // A channel that is not a socket has none.
        #expect(DirectSocketWrite.descriptor(of: EmbeddedChannel()) == nil)
    }

    /// A reader that stops for a while fills the socket: what the kernel does not take goes
    /// through NIO, and the frames after it wait behind it. The stream stays whole and in order.
    @Test func framesStayWholeAndInOrderWhenTheSocketFills() async throws {
        let server = try await TestServer.start(frameSize: 1000) { configuration in
            configuration.tickRate = 120
            configuration.slowClientTimeout = .seconds(5)
            configuration.transport.socketSendBuffer = 4096
        }
        defer { Task { try await server.running.shutdown() } }
        let client = try await RawSocketClient.webSocket(port: server.port, path: "/play", receiveBuffer: 4096)
        var ticks: [UInt64] = []
        func read(_ count: Int) async throws {
            for _ in 0..<count {
                let message = try await client.nextMessage()
                #expect(message.payload.count == 1000)
                ticks.append(message.payload[0..<8].reduce(0) { $0 << 8 | UInt64($1) })
            }
        }
        for _ in 0..<3 {
            try await read(30)
            try await client.setReading(false)
            try await Task.sleep(for: .milliseconds(300))
            try await client.setReading(true)
        }
        try await read(60)
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 }, "ticks \(ticks)")
        #expect(server.metric("arbiter_slow_client_disconnects_total") == 0)
        await client.close()
    }
}
