import ArbiterServer
import Logging
import NIOPosix

/// A live server on a free port with the counter game behind `/play`.
struct TestServer {
    let server: GameServer
    let running: RunningServer
    let registry: RoomRegistry<CounterGame>

    var port: Int { self.running.port }

    static func start(
        frameSize: Int = 64,
        _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.tickRate = 60
        configuration.snapshotInterval = 1
        configuration.webRoot = .disabled
        configuration.echoEndpoint = true
        configure(&configuration)
        try configuration.validate()
        let metrics = ServerMetrics()
        let group = MultiThreadedEventLoopGroup.singleton
        let tickRate = configuration.tickRate
        let snapshotInterval = configuration.snapshotInterval
        let registry = try RoomRegistry<CounterGame>(
            initialRooms: configuration.rooms, maxRooms: configuration.maxRooms, idleTimeout: configuration.roomIdleTimeout
        ) { id in
            RoomRuntime(
                id: id,
                game: CounterGame(roomID: id, frameSize: frameSize),
                tickRate: tickRate,
                snapshotInterval: snapshotInterval,
                commandLimit: 64,
                initialSummary: RoomSummary(id: id, map: "test", players: 0, bots: 0, capacity: 8, tick: 0),
                eventLoopGroup: group,
                metrics: metrics.rooms
            )
        }
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let presence = PlayerPresence()
        let server = GameServer(
            configuration: configuration,
            metrics: metrics,
            eventLoopGroup: group,
            play: CounterPlayService(registry: registry, presence: presence),
            rooms: registry,
            services: [registry],
            players: presence,
            logger: logger
        )
        return TestServer(server: server, running: try await server.start(), registry: registry)
    }

    /// The value of one metric sample line, e.g. `arbiter_slow_client_disconnects_total`.
    func metric(_ sample: String) -> Double? {
        for line in self.server.metrics.render().split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1))
        }
        return nil
    }
}
