import ArbiterClient
import ArbiterProtocol
import ArbiterServer
import ArenaServer
import ArenaTestSupport
import Logging
import NIOCore
import NIOPosix
import NIOWebSocket

/// A raw protocol client: sends exactly the messages a test gives it and decodes every reply,
/// keeping the raw bytes so tests can check full vs delta encodings.
final class ArenaTestClient: @unchecked Sendable {
    let socket: AsyncWebSocketConnection
    private var iterator: AsyncStream<ByteBuffer>.Iterator
    private var decoder = ServerMessageDecoder()
    private var writer = BitWriter()
    private(set) var welcome: Welcome?
    private(set) var lastSnapshot: Snapshot?
    private(set) var lastRaw: [UInt8] = []
    private var seq: UInt32 = 0

    convenience init(port: Int, room: String? = nil) async throws {
        let url = WebSocketURL(host: "127.0.0.1", port: port, path: "/play", query: room.map { "room=\($0)" })
        try await self.init(url: url)
    }

    init(url: WebSocketURL, configuration: WebSocketClientConfiguration = .init()) async throws {
        socket = try await AsyncWebSocketConnection.connect(to: url, configuration: configuration, group: MultiThreadedEventLoopGroup.singleton)
        iterator = socket.messages.makeAsyncIterator()
    }

    func send(_ encode: (inout BitWriter) throws(WireError) -> Void) throws {
        try encode(&writer)
        socket.send(writer.bytes)
    }

    func hello(name: String = "tester", hash: [UInt8] = ArenaProtocol.schemaHash, token: [UInt8]? = nil, ticket: [UInt8]? = nil) throws {
        try send { (w) throws(WireError) in
            try Hello(protocolVersion: ArenaProtocol.version, schemaHash: hash, name: name, resumeToken: token, ticket: ticket)
                .encodeMessage(into: &w)
        }
    }

    /// Sends the next Input (seq 1, 2, ...) and returns its seq.
    @discardableResult
    func input(moveX: Int = 0, moveY: Int = 0, fire: Bool = false) throws -> UInt32 {
        seq += 1
        let input = Input(seq: seq, moveX: moveX, moveY: moveY, aim: 0, fire: fire, secondary: false)
        try send { (w) throws(WireError) in try input.encodeMessage(into: &w) }
        return seq
    }

    /// The next message, or nil when the socket closed.
    func next() async throws -> ServerMessage? {
        guard let buffer = await iterator.next() else { return nil }
        let bytes = Array(buffer.readableBytesView)
        let message = try decoder.decode(bytes)
        switch message {
        case .welcome(let w): welcome = w
        case .snapshot(let s):
            lastSnapshot = s
            lastRaw = bytes
        default: break
        }
        return message
    }

    /// Joins and returns the Welcome (MapInfo follows it).
    func join(name: String = "tester", token: [UInt8]? = nil, ticket: [UInt8]? = nil) async throws -> Welcome {
        try hello(name: name, token: token, ticket: ticket)
        while let message = try await next() {
            if case .welcome(let w) = message { return w }
        }
        throw TestFailure("closed before Welcome")
    }

    /// Reads snapshots until one satisfies `condition`, sending an input before each read when
    /// `moveX`/`moveY` are given; fails after `limit` snapshots.
    func snapshot(limit: Int = 300, moveX: Int? = nil, moveY: Int = 0, _ condition: (Snapshot) -> Bool) async throws -> Snapshot {
        var seen = 0
        while seen < limit {
            if let moveX { try input(moveX: moveX, moveY: moveY) }
            guard let message = try await next() else {
                let info = try? await socket.closed()
                throw TestFailure("closed while waiting for a snapshot: \(info.map { "\($0)" } ?? "?")")
            }
            if case .snapshot(let s) = message {
                if condition(s) { return s }
                seen += 1
            }
        }
        throw TestFailure("no matching snapshot in \(limit)")
    }
}

extension ArenaTestClient {
    /// Sends Hello and expects a refusal: the Kick, then the close; returns both.
    func refusal(name: String, token: [UInt8]? = nil, ticket: [UInt8]? = nil) async throws -> (kick: Kick, close: WebSocketCloseInfo) {
        try hello(name: name, token: token, ticket: ticket)
        while let message = try await next() {
            switch message {
            case .kick(let kick): return (kick, try await socket.closed())
            case .welcome: throw TestFailure("\(name) was admitted")
            default: continue
            }
        }
        throw TestFailure("closed without a Kick: \(try await socket.closed())")
    }

    /// Reads `count` snapshots, whatever they hold.
    func skip(_ count: Int) async throws {
        var seen = 0
        _ = try await snapshot(limit: count + 1) { _ in seen += 1; return seen >= count }
    }
}

extension Snapshot {
    func player(_ id: UInt32) -> ArbiterProtocol.Player? {
        for entry in entities where entry.id == id {
            if case .player(let p) = entry.value { return p }
        }
        return nil
    }
}
