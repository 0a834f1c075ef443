import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The Agones SDK sidecar's REST gateway on localhost (`AGONES_SDK_HTTP_PORT`, 9358 by
/// default), through async-http-client. Every call but the watch is bounded by `timeout`.
///
/// Paths, verbs and bodies follow the SDK's published REST contract, the gateway's generated
/// OpenAPI files in the Agones repository: `sdks/swagger/sdk.swagger.json` (Ready, Health,
/// Shutdown, `PUT /metadata/label`, `GET /gameserver`, `GET /watch/gameserver`),
/// `sdks/swagger/alpha.swagger.json` (player tracking, `/alpha/player/...`) and
/// `sdks/swagger/beta.swagger.json` (`PATCH /v1beta1/counters/{name}`), with the examples of
/// the Agones docs page "REST Game Server Client API". int64 fields travel as JSON strings there
/// (protobuf's JSON mapping), so counts are sent as `"17"`.
public struct AgonesSDKClient: Sendable {
    public static let defaultPort = 9358
    public static let portVariable = "AGONES_SDK_HTTP_PORT"
    /// Agones puts this in front of every key `setLabel` sets.
    public static let labelPrefix = "agones.dev/sdk-"

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

    /// The gateway's port when the server runs under Agones: `--agones` was given, or Agones set
    /// `AGONES_SDK_HTTP_PORT` (it does in every game server container); nil otherwise.
    public static func port(flag: Bool, environment: [String: String]) -> Int? {
        flag || environment[Self.portVariable] != nil ? Self.port(environment: environment) : nil
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The gateway did not answer in time.
        public var isTimeout = false
    }

    // MARK: - Lifecycle (sdk.swagger.json)

    /// `POST /ready`: the game server takes players (Agones may allocate it).
    public func ready() async throws { try await self.send(.POST, "/ready") }
    /// `POST /health`: a sign of life; Agones marks the server Unhealthy when they stop.
    public func health() async throws { try await self.send(.POST, "/health") }
    /// `POST /shutdown`: Agones deletes the game server.
    public func shutdown() async throws { try await self.send(.POST, "/shutdown") }

    /// `PUT /metadata/label` with `{"key": …, "value": …}` (`sdkKeyValue`); Agones stores it as
    /// the label `agones.dev/sdk-<key>`, which a GameServerAllocation's selector can match.
    public func setLabel(_ key: String, _ value: String) async throws {
        try await self.send(.PUT, "/metadata/label", body: Self.json(["key": key, "value": value]))
    }

    /// `GET /gameserver`: the GameServer as it is now (`sdkGameServer`); only `status.state` is read.
    public func gameServerState() async throws -> String {
        let body = try await self.send(.GET, "/gameserver", body: nil)
        guard let state = AgonesGameServerStates.state(ofGameServer: body) else {
            throw Failure(description: "Agones SDK /gameserver: no status.state in the answer")
        }
        return state
    }

    // MARK: - Counters (beta.swagger.json)

    /// `PATCH /v1beta1/counters/{name}` with `{"count": "N", "capacity": "M"}`
    /// (`CounterUpdateRequest`): sets both at once. Agones answers NOT_FOUND unless the Fleet
    /// declares the counter (`spec.template.spec.counters`), OUT_OF_RANGE if count > capacity.
    public func setCounter(_ name: String, count: Int, capacity: Int) async throws {
        try await self.send(.PATCH, "/v1beta1/counters/\(name)", body: Self.json(["count": "\(count)", "capacity": "\(capacity)"]))
    }

    // MARK: - Player tracking (alpha.swagger.json, feature gate PlayerTracking)

    /// `POST /alpha/player/connect` with `{"playerID": …}` (`alphaPlayerID`).
    public func playerConnect(_ playerID: String) async throws {
        try await self.send(.POST, "/alpha/player/connect", body: Self.json(["playerID": playerID]))
    }

    /// `POST /alpha/player/disconnect` with `{"playerID": …}`.
    public func playerDisconnect(_ playerID: String) async throws {
        try await self.send(.POST, "/alpha/player/disconnect", body: Self.json(["playerID": playerID]))
    }

    /// `PUT /alpha/player/capacity` with `{"count": "N"}` (`alphaCount`).
    public func setPlayerCapacity(_ count: Int) async throws {
        try await self.send(.PUT, "/alpha/player/capacity", body: Self.json(["count": "\(count)"]))
    }

    // MARK: - Watch

    /// `GET /watch/gameserver`: newline-delimited `{"result": GameServer}`, one line per change,
    /// for as long as the gateway keeps the stream open. Yields each `status.state`; returns when
    /// the stream ends, throws when it fails or a line is longer than `maxLine` bytes. Only the
    /// answer's head is bounded by `timeout` (the stream is quiet until something changes).
    public func watchGameServerStates(maxLine: Int = 256 * 1024, _ onState: (String) async -> Void) async throws {
        var request = HTTPClientRequest(url: "http://\(self.host):\(self.port)/watch/gameserver")
        request.method = .GET
        let response = try await self.withTimeout { [client, request] in
            try await client.execute(request, deadline: .distantFuture)
        }
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "Agones SDK /watch/gameserver: HTTP \(response.status.code)")
        }
        var lines = NewlineSplitter(maxLine: maxLine)
        for try await chunk in response.body {
            for line in try lines.append(chunk) {
                if let state = AgonesGameServerStates.state(ofWatchLine: line) { await onState(state) }
            }
        }
    }

    // MARK: - Transport

    /// Sends `body` (JSON) with `method` to `path`; throws unless the gateway answers 2xx within
    /// the timeout. Returns the answer (at most 64 KiB).
    @discardableResult
    public func send(_ method: HTTPMethod, _ path: String, body: String? = "{}") async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: "http://\(self.host):\(self.port)\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let deadline = NIODeadline.now() + TimeAmount(self.timeout)
        let response = try await self.client.execute(request, deadline: deadline)
        let answer = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "Agones SDK \(method) \(path): HTTP \(response.status.code) \(String(buffer: answer).prefix(200))")
        }
        return answer
    }

    /// Runs `body`, cancelled after `timeout`.
    private func withTimeout<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw Failure(description: "Agones SDK: no answer within \(timeout)", isTimeout: true)
            }
            return value
        }
    }

    static func json(_ object: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Reads `status.state` out of the gateway's GameServer JSON.
enum AgonesGameServerStates {
    private struct GameServer: Decodable {
        struct Status: Decodable { var state: String? }
        var status: Status?
    }

    private struct WatchLine: Decodable {
        var result: GameServer?
    }

    static func state(ofGameServer body: ByteBuffer) -> String? {
        (try? JSONDecoder().decode(GameServer.self, from: Data(body.readableBytesView)))?.status?.state
    }

    /// One line of `/watch/gameserver`; nil for a line without a state (an `{"error": …}` line).
    static func state(ofWatchLine line: ByteBuffer) -> String? {
        (try? JSONDecoder().decode(WatchLine.self, from: Data(line.readableBytesView)))?.result?.status?.state
    }
}

/// Cuts a byte stream into lines at `\n`, refusing a line longer than `maxLine`.
struct NewlineSplitter {
    let maxLine: Int
    private var pending = ByteBuffer()

    init(maxLine: Int) {
        self.maxLine = maxLine
    }

    mutating func append(_ chunk: ByteBuffer) throws -> [ByteBuffer] {
        var chunk = chunk
        self.pending.writeBuffer(&chunk)
        var lines: [ByteBuffer] = []
        while let newline = self.pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - self.pending.readerIndex
            if let line = self.pending.readSlice(length: length), line.readableBytes > 0 { lines.append(line) }
            self.pending.moveReaderIndex(forwardBy: 1)
        }
        guard self.pending.readableBytes <= self.maxLine else {
            throw AgonesSDKClient.Failure(description: "Agones SDK /watch/gameserver: a line longer than \(self.maxLine) bytes")
        }
        self.pending.discardReadBytes()
        return lines
    }
}
