import NIOCore
import NIOHTTP1
import NIOPosix

/// The Agones SDK sidecar's REST gateway on localhost (`AGONES_SDK_HTTP_PORT`, 9358 by
/// default): one short HTTP/1.1 POST per call, each bounded by `timeout`.
public struct AgonesSDKClient: Sendable {
    public static let defaultPort = 9358
    public static let portVariable = "AGONES_SDK_HTTP_PORT"

    public let host: String
    public let port: Int
    public var timeout: Duration = .seconds(2)
    private let group: MultiThreadedEventLoopGroup

    public init(host: String = "127.0.0.1", port: Int = AgonesSDKClient.defaultPort, group: MultiThreadedEventLoopGroup = .singleton) {
        self.host = host
        self.port = port
        self.group = group
    }

    /// The port from the environment Agones gives a game server container.
    public static func port(environment: [String: String]) -> Int {
        environment[Self.portVariable].flatMap(Int.init) ?? Self.defaultPort
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `POST /ready`: the game server takes players (Agones may allocate it).
    public func ready() async throws { try await self.post("/ready") }
    /// `POST /health`: a sign of life; Agones marks the server Unhealthy when they stop.
    public func health() async throws { try await self.post("/health") }
    /// `POST /shutdown`: Agones deletes the game server.
    public func shutdown() async throws { try await self.post("/shutdown") }

    /// Posts `body` (JSON) to `path`; throws unless the gateway answers 2xx within the timeout.
    public func post(_ path: String, body: String = "{}") async throws {
        let status = try await withThrowingTaskGroup(of: UInt.self) { group in
            group.addTask { try await self.exchange(path, body: body) }
            group.addTask {
                try await Task.sleep(for: self.timeout)
                throw Failure(description: "Agones SDK \(path): no answer within \(self.timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        guard (200..<300).contains(status) else {
            throw Failure(description: "Agones SDK \(path): HTTP \(status)")
        }
    }

    private func exchange(_ path: String, body: String) async throws -> UInt {
        let channel = try await ClientBootstrap(group: self.group)
            .connectTimeout(.nanoseconds(Int64(self.timeout.components.seconds) * 1_000_000_000))
            .connect(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
            head.headers = [
                "Host": "\(self.host):\(self.port)", "Content-Type": "application/json",
                "Content-Length": "\(body.utf8.count)", "Connection": "close",
            ]
            try await outbound.write(.head(head))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
            try await outbound.write(.end(nil))
            for try await part in inbound {
                if case .head(let response) = part { return response.status.code }
            }
            throw Failure(description: "Agones SDK \(path): connection closed without an answer")
        }
    }
}
