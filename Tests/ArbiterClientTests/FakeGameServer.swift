import ArbiterProtocol
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// What the fake game server saw.
enum GameEvent: Sendable, Equatable {
    case hello(name: String, resuming: Bool, hashMatches: Bool)
    case input(seq: UInt32)
    case ping
    case dropped
}

/// Speaks just enough of the Arena protocol for session tests: Welcome + MapInfo on Hello, a
/// delta Snapshot every 10 ms acknowledging the last Input, Pong for Ping. With `dropAfter`, a
/// connection that did not resume is dropped (no close frame) after that many Inputs.
final class FakeGameServer: Sendable {
    static let token: [UInt8] = Array(1...16)
    let channel: any Channel
    let events: AsyncStream<GameEvent>
    var port: Int { self.channel.localAddress!.port! }

    static func start(dropAfter: Int? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> FakeGameServer {
        let (events, continuation) = AsyncStream.makeStream(of: GameEvent.self)
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                GameHandler(dropAfter: dropAfter, events: continuation)
                            )
                        }
                    }
                )
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeGameServer(channel: channel, events: events)
    }

    private init(channel: any Channel, events: AsyncStream<GameEvent>) {
        self.channel = channel
        self.events = events
    }

    func stop() async throws {
        try await self.channel.close()
    }
}

private final class GameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let dropAfter: Int?
    private let events: AsyncStream<GameEvent>.Continuation
    private var decoder = ClientMessageDecoder()
    private var writer = BitWriter()
    private var baseline: Snapshot?
    private var tick: UInt32 = 100
    private var lastSeq: UInt32 = 0
    private var inputs = 0
    private var resumed = false
    private var timer: RepeatedTask?

    init(dropAfter: Int?, events: AsyncStream<GameEvent>.Continuation) {
        self.dropAfter = dropAfter
        self.events = events
    }

    private func send(_ context: ChannelHandlerContext) {
        let frame = WebSocketFrame(fin: true, opcode: .binary, data: context.channel.allocator.buffer(bytes: self.writer.bytes))
        context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            let bytes = Array(frame.unmaskedData.readableBytesView)
            guard let message = try? self.decoder.decode(bytes) else {
                context.close(promise: nil)
                return
            }
            self.handle(message, context: context)
        case .connectionClose:
            var payload = context.channel.allocator.buffer(capacity: 2)
            payload.writeInteger(UInt16(1000))
            context.writeAndFlush(Self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)))
                .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        default:
            break
        }
    }

    private func handle(_ message: ClientMessage, context: ChannelHandlerContext) {
        switch message {
        case .hello(let hello):
            self.resumed = hello.resumeToken == FakeGameServer.token
            self.events.yield(.hello(name: hello.name, resuming: self.resumed, hashMatches: hello.schemaHash == ArenaProtocol.schemaHash))
            try! Welcome(
                playerId: 7, tickRate: 60, snapshotInterval: 1, tick: self.tick, room: "test", map: "box",
                resumeToken: FakeGameServer.token, resumed: self.resumed
            ).encodeMessage(into: &self.writer)
            self.send(context)
            try! MapInfo(name: "box", width: 100, height: 50).encodeMessage(into: &self.writer)
            self.send(context)
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            self.timer = context.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(10), delay: .milliseconds(10)) { _ in
                loopBound.value.sendSnapshot(contextBound.value)
            }
        case .input(let input):
            self.lastSeq = input.seq
            self.inputs += 1
            self.events.yield(.input(seq: input.seq))
            if let dropAfter = self.dropAfter, !self.resumed, self.inputs == dropAfter {
                self.events.yield(.dropped)
                context.close(promise: nil)
            }
        case .ping(let ping):
            self.events.yield(.ping)
            try! Pong(nonce: ping.nonce, clientTime: ping.clientTime, tick: self.tick).encodeMessage(into: &self.writer)
            self.send(context)
        }
    }

    private func sendSnapshot(_ context: ChannelHandlerContext) {
        self.tick += 1
        let snapshot = Snapshot(tick: self.tick, ackSeq: self.lastSeq)
        try! snapshot.encodeMessage(into: &self.writer, baseline: self.baseline)
        self.baseline = snapshot
        self.send(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        context.fireChannelInactive()
    }
}
