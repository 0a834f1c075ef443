import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A deliberately dumb TCP client for the tests: it writes exactly the bytes it is told to
/// (so it can send malformed frames), parses the server's frames by hand, answers pings and
/// close frames like a browser does, and can stop reading to play a stalled client.
final class RawSocketClient: Sendable {
    enum Event: Sendable, Equatable {
        case http(status: Int, headers: String, body: [UInt8])
        case frame(opcode: UInt8, payload: [UInt8])
        case closed
    }

    let channel: any Channel
    let events: AsyncStream<Event>
    private let handler: NIOLoopBound<ClientHandler>

    private init(channel: any Channel, events: AsyncStream<Event>, handler: NIOLoopBound<ClientHandler>) {
        self.channel = channel
        self.events = events
        self.handler = handler
    }

    /// Connects; `receiveBuffer` shrinks the kernel buffer so a paused reader stalls the
    /// server quickly.
    /// `tls` speaks TLS first (the bytes sent and parsed are the plaintext).
    static func connect(port: Int, receiveBuffer: Int? = nil, tls: NIOSSLContext? = nil) async throws -> RawSocketClient {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let receiveBuffer {
            bootstrap = bootstrap.channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
        }
        let channel = try await bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nil)) }
                try channel.pipeline.syncOperations.addHandler(ClientHandler(continuation: continuation))
            }
        }.connect(host: "127.0.0.1", port: port).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return RawSocketClient(channel: channel, events: events, handler: handler)
    }

    /// Connects and upgrades; throws unless the server answers 101.
    static func webSocket(port: Int, path: String, receiveBuffer: Int? = nil, tls: NIOSSLContext? = nil) async throws -> RawSocketClient {
        let client = try await connect(port: port, receiveBuffer: receiveBuffer, tls: tls)
        try await client.send(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        var iterator = client.events.makeAsyncIterator()
        guard case .http(let status, _, _)? = await iterator.next(), status == 101 else {
            throw TestFailure("upgrade to \(path) refused")
        }
        return client
    }

    /// One HTTP/1.1 request with `Connection: close`; returns status, headers and body.
    static func get(port: Int, path: String, tls: NIOSSLContext? = nil) async throws -> (status: Int, headers: String, body: String) {
        try await request(port: port, method: "GET", path: path, tls: tls)
    }

    /// One HTTP/1.1 request without a body, with extra header lines (`Name: value`).
    static func request(
        port: Int, method: String, path: String, headers: [String] = [], tls: NIOSSLContext? = nil
    ) async throws -> (status: Int, headers: String, body: String) {
        let client = try await connect(port: port, tls: tls)
        let extra = headers.map { $0 + "\r\n" }.joined()
        try await client.send(
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\(extra)\r\n")
        for await event in client.events {
            if case .http(let status, let headers, let body) = event {
                return (status, headers, String(decoding: body, as: UTF8.self))
            }
        }
        throw TestFailure("no response for \(path)")
    }

    func send(_ text: String) async throws {
        try await self.send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// A masked client frame.
    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        try await self.send(bytes: Self.frame(opcode: opcode, payload: payload, fin: fin))
    }

    static func frame(opcode: UInt8, payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        switch payload.count {
        case 0..<126: bytes.append(0x80 | UInt8(payload.count))
        case 126...0xFFFF: bytes += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return bytes
    }

    /// Stops (or resumes) reading from the socket, like a client whose tab froze.
    func setReading(_ reading: Bool) async throws {
        try await self.channel.setOption(ChannelOptions.autoRead, value: reading).get()
        if reading { self.channel.read() }
    }

    func close() async {
        try? await self.channel.close()
    }
}

/// Splits the byte stream into one HTTP response head (and body, when the server closes) and
/// then WebSocket frames.
private final class ClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let continuation: AsyncStream<RawSocketClient.Event>.Continuation
    private var buffer = ByteBuffer()
    private var head: (status: Int, headers: String)?
    private var upgraded = false
    private var sentClose = false

    init(continuation: AsyncStream<RawSocketClient.Event>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        self.buffer.writeBuffer(&bytes)
        self.parse(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let head = self.head, !self.upgraded {
            self.continuation.yield(.http(status: head.status, headers: head.headers, body: Array(self.buffer.readableBytesView)))
        }
        self.continuation.yield(.closed)
        self.continuation.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func parse(context: ChannelHandlerContext) {
        if self.head == nil {
            let view = self.buffer.readableBytesView
            guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
            let text = String(decoding: view[view.startIndex..<end.upperBound], as: UTF8.self)
            self.buffer.moveReaderIndex(to: end.upperBound)
            let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
            self.head = (status, text)
            if status == 101 {
                self.upgraded = true
                self.continuation.yield(.http(status: 101, headers: text, body: []))
            }
        }
        guard self.upgraded else { return }
        while let frame = self.nextFrame() {
            if frame.opcode == 0x9, !self.sentClose {
                // Like a browser: every ping is answered, as soon as it is read.
                let pong = RawSocketClient.frame(opcode: 0xA, payload: frame.payload)
                context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(bytes: pong)), promise: nil)
            }
            if frame.opcode == 0x8, !self.sentClose {
                // Answer like a browser: echo the code, and let the server close TCP.
                self.sentClose = true
                let reply = RawSocketClient.frame(opcode: 0x8, payload: Array(frame.payload.prefix(2)))
                context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil)
            }
            self.continuation.yield(.frame(opcode: frame.opcode, payload: frame.payload))
        }
    }

    private func nextFrame() -> (opcode: UInt8, payload: [UInt8])? {
        let view = self.buffer.readableBytesView
        guard view.count >= 2 else { return nil }
        let first = view[view.startIndex]
        var length = Int(view[view.startIndex + 1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard view.count >= 4 else { return nil }
            length = Int(view[view.startIndex + 2]) << 8 | Int(view[view.startIndex + 3])
            offset = 4
        } else if length == 127 {
            guard view.count >= 10 else { return nil }
            length = (2..<10).reduce(0) { $0 << 8 | Int(view[view.startIndex + $1]) }
            offset = 10
        }
        guard view.count >= offset + length else { return nil }
        let payload = Array(view[(view.startIndex + offset)..<(view.startIndex + offset + length)])
        self.buffer.moveReaderIndex(forwardBy: offset + length)
        return (first & 0x0F, payload)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension RawSocketClient.Event {
    /// The close code and reason of a close frame.
    var close: (code: UInt16, reason: String)? {
        guard case .frame(0x8, let payload) = self, payload.count >= 2 else { return nil }
        return (UInt16(payload[0]) << 8 | UInt16(payload[1]), String(decoding: payload.dropFirst(2), as: UTF8.self))
    }
}
