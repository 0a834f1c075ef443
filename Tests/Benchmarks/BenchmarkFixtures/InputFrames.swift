import ArbiterServer
import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket

/// One Input message from the bytes a client's socket read returned, masked and framed as a
/// browser sends it, through the game socket's read side (`GameSocketPipeline`, what the
/// server installs after the upgrade) and then `InputPath`: the whole input path but the
/// syscall. Each read holds one frame, the common case for a client sending 60 inputs a second.
/// Without `throughInputPath` the message stops at the socket (its size is summed), so reads
/// can go on for ever: what the allocation benchmark runs.
public final class InputFrames: @unchecked Sendable {
    let path: InputPath
    let channel: EmbeddedChannel
    let connection: ServerWebSocket
    /// Each round's frame; every client sends the same bytes in a round.
    let frames: [ByteBuffer]
    private var round = 0
    private var sent = 0
    /// Bytes of the messages that stopped at the socket, for a black hole.
    public private(set) var bytes = 0

    public init(players count: Int, rounds: Int = 4, throughInputPath: Bool = true) throws {
        path = InputPath(players: count, rounds: rounds)
        channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(WebSocketFrameEncoder())
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
        connection = ServerWebSocket(
            eventLoop: channel.eventLoop, request: WebSocketRequest(path: "/play", query: [], remote: "bench"), allocator: channel.allocator)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        try GameSocketPipeline.addFrameHandlers(
            to: channel.pipeline.syncOperations, connection: connection, service: Service(), settings: TransportSettings(),
            metrics: ServerMetrics().transport, logger: logger)
        var frames: [ByteBuffer] = []
        let key: WebSocketMaskingKey = [0x12, 0x34, 0x56, 0x78]
        for message in path.messages {
            var frame = channel.allocator.buffer(capacity: message.count + 6)
            frame.writeInteger(UInt8(0x82))
            frame.writeInteger(UInt8(0x80 | message.count))
            frame.writeBytes(key)
            var payload = channel.allocator.buffer(bytes: message)
            payload.webSocketMask(key)
            frame.writeBuffer(&payload)
            frames.append(frame)
        }
        self.frames = frames
        if throughInputPath {
            let path = self.path
            connection.onMessage = { message in
                message.withUnsafeReadableBytes { path.input(message: $0) }
            }
        } else {
            connection.onMessage = { [unowned self] message in self.bytes &+= message.readableBytes }
        }
    }

    /// The next client's next input frame, as one read.
    public func input() {
        channel.pipeline.fireChannelRead(frames[round])
        sent += 1
        if sent == path.clients.count {
            sent = 0
            round = (round + 1) % frames.count
        }
    }

    /// Inputs `input()` can take before the buffers would have to be stepped.
    public var capacity: Int { path.capacity }

    private struct Service: WebSocketService {
        var maxMessageSize: Int { 1024 }
        func accept(_ connection: ServerWebSocket) {}
        var probesReading: Bool { false }
    }
}
