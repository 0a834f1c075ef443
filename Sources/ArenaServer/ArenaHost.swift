import Arena
import ArbiterProtocol
import ArbiterServer
import Logging
import NIOCore
import NIOPosix

/// The composition root: a `GameServer` that plays Arena. It builds the rooms (each an
/// `ArenaRoomGame` on its own tick thread), `/play` and `/rooms`. `arbiter-server` and the
/// tests build servers through here.
public enum ArenaHost {
    /// Tick rates Arena runs at: what the simulation's tuning supports and `Welcome.tickRate`
    /// (Protocol/arena.schema) carries.
    public static let tickRates = Tuning.supportedTickRates.clamped(to: Welcome.Limits.tickRate)
    /// Snapshot intervals Arena's wire format carries (`Welcome.snapshotInterval`).
    public static let snapshotIntervals = Welcome.Limits.snapshotInterval

    /// Every check a configuration must pass to start an Arena server: the engine's, then the
    /// ranges Arena's wire carries and the map. `make` runs it first; `arbiter-server deploy` runs
    /// it too, so it never writes a manifest whose pods would refuse to start.
    public static func validate(_ configuration: ServerConfiguration) throws {
        try configuration.validate()
        try configuration.validate(tickRate: Self.tickRates)
        guard Self.snapshotIntervals.contains(configuration.snapshotInterval) else {
            throw ConfigurationError(
                "--snapshot-interval must be within \(Self.snapshotIntervals.lowerBound)...\(Self.snapshotIntervals.upperBound), "
                    + "got \(configuration.snapshotInterval)")
        }
        _ = try ArenaMap.load(named: configuration.map)
    }

    public static func make(
        configuration: ServerConfiguration,
        metrics: ServerMetrics = ServerMetrics(),
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        logger: Logger
    ) throws -> (server: GameServer, rooms: RoomRegistry<ArenaRoomGame>) {
        try validate(configuration)
        let map = try ArenaMap.load(named: configuration.map)
        let c = configuration
        let inputMetrics = InputMetrics(metrics: metrics)
        let registry = try RoomRegistry<ArenaRoomGame>(
            initialRooms: c.rooms, maxRooms: c.maxRooms, idleTimeout: c.roomIdleTimeout
        ) { id in
            // Only the first room is kept busy with bots: it is where quick-join sends a lone player.
            let bots = id == 1 ? c.fillBots : 0
            let game = try ArenaRoomGame(
                roomID: id, map: map, seed: UInt64(id) &* 0x9E37_79B9_7F4A_7C15, tickRate: c.tickRate,
                snapshotInterval: c.snapshotInterval, capacity: c.roomCapacity, fillBots: bots,
                resumeGrace: c.resumeGrace, inputMetrics: inputMetrics, players: metrics.rooms.players)
            return RoomRuntime(
                id: id, game: game, tickRate: c.tickRate, snapshotInterval: c.snapshotInterval,
                // Every player's whole input bucket may arrive in one tick (a shared outage ends):
                // the session's InputRateLimit bounds each client to that, so the queue never
                // drops an honest input and a flooder is closed long before it fills it.
                commandLimit: 256 + c.roomCapacity * ArenaRoomGame.inputCapacity(tickRate: c.tickRate),
                initialSummary: RoomSummary(id: id, map: map.name, players: 0, bots: bots, capacity: c.roomCapacity, tick: 0),
                eventLoopGroup: eventLoopGroup, tickPriority: c.tickPriority, metrics: metrics.rooms)
        }
        let drain = ServerDrain(timeout: c.drainTimeout, logger: logger)
        let presence = PlayerPresence()
        let play = ArenaPlayService(
            registry: registry, drain: drain, presence: presence, metrics: metrics, inputMetrics: inputMetrics,
            handshakeTimeout: .init(c.handshakeTimeout), joinSecret: c.joinSecret, logger: logger)
        let server = GameServer(
            configuration: configuration, metrics: metrics, eventLoopGroup: eventLoopGroup, play: play, rooms: registry,
            services: [registry], drain: drain, players: presence, logger: logger)
        return (server, registry)
    }
}
