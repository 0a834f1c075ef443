import AsyncHTTPClient
import NIOCore

/// The Agones SDK sidecar's REST gateway on localhost (`AGONES_SDK_HTTP_PORT`, 9358 by
/// default): one short POST per call through async-http-client, each bounded by `timeout`.
public struct AgonesSDKClient: Sendable {
    public static let defaultPort = 9358
    public static let portVariable = "AGONES_SDK_HTTP_PORT"

    public let host: String
    public let port: Int
    public var timeout: Duration = .seconds(2)
    private let client: HTTPClient

    public init(host: String = "127.0.0.1", port: Int = AgonesSDKClient.defaultPort, client: HTTPClient = .shared) {
        self.host = host
        self.port = port
        self.client = client
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
        var request = HTTPClientRequest(url: "http://\(self.host):\(self.port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await self.client.execute(request, timeout: TimeAmount(self.timeout))
        _ = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "Agones SDK \(path): HTTP \(response.status.code)")
        }
    }
}
