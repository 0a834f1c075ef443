import ArbiterServer
import ArenaServer
import Logging

/// A live Arena server on a free port of 127.0.0.1, without fill bots unless asked: the one
/// setup every test target that plays against a real server shares.
public struct LiveArenaServer: Sendable {
    public let server: GameServer
    public let rooms: RoomRegistry<ArenaRoomGame>
    public let running: RunningServer
    public var port: Int { running.port }
    public var metrics: ServerMetrics { server.metrics }

    /// Port 0, 60 Hz, a snapshot every tick, no bots, no web root; `configure` changes the rest.
    public static func start(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> LiveArenaServer {
        var c = ServerConfiguration()
        c.port = 0
        c.tickRate = 60
        c.snapshotInterval = 1
        c.fillBots = 0
        c.webRoot = .disabled
        configure(&c)
        var logger = Logger(label: "arena-test")
        logger.logLevel = .warning
        let (server, rooms) = try ArenaHost.make(configuration: c, metrics: ServerMetrics(), logger: logger)
        return LiveArenaServer(server: server, rooms: rooms, running: try await server.start())
    }

    /// Players in every room, from the rooms' published summaries.
    public var players: Int { rooms.roomSummaries().reduce(0) { $0 + $1.players } }

    /// The SIGTERM path: close every client with 1001 and stop the rooms.
    public func stop() async throws { try await running.shutdown() }
}

/// Polls `condition` every 20 ms for up to five seconds; fails the test when it never holds.
public func waitFor(_ condition: () async -> Bool) async throws {
    for _ in 0..<250 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestFailure("condition not met within 5 s")
}

/// A test's own failure with a message (a timeout, an unexpected message).
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
