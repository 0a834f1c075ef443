import Arena
import Logging
import NIOCore
import NIOPosix

/// Assembles a server that plays Arena: the rooms (each an `ArenaRoomGame` on its own tick
/// thread), `/play`, and `/rooms`. `arbiter-server` and the tests build servers through here.
public enum ArenaServer {
    public static func make(
        configuration: ServerConfiguration,
        metrics: ServerMetrics = ServerMetrics(),
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        logger: Logger
    ) throws -> (server: ArbiterServer, rooms: RoomRegistry<ArenaRoomGame>) {
        try configuration.validate()
        let map = try ArenaMap.load(named: configuration.map)
        let c = configuration
        let registry = RoomRegistry<ArenaRoomGame>(initialRooms: c.rooms, maxRooms: c.maxRooms) { id in
            // Only the first room is kept busy with bots: it is where quick-join sends a lone player.
            let game = try! ArenaRoomGame(
                roomID: id, map: map, seed: UInt64(id) &* 0x9E37_79B9_7F4A_7C15, tickRate: c.tickRate,
                snapshotInterval: c.snapshotInterval, capacity: c.roomCapacity, fillBots: id == 1 ? c.fillBots : 0,
                resumeGrace: c.resumeGrace, inputsDropped: metrics.rooms.inputsRejected, players: metrics.rooms.players)
            return RoomRuntime(
                id: id, game: game, tickRate: c.tickRate, snapshotInterval: c.snapshotInterval,
                commandLimit: max(256, c.roomCapacity * 8),
                initialSummary: RoomSummary(id: id, map: map.name, players: 0, bots: id == 1 ? c.fillBots : 0, capacity: c.roomCapacity, tick: 0),
                eventLoopGroup: eventLoopGroup, metrics: metrics.rooms)
        }
        let play = ArenaPlayService(registry: registry, metrics: metrics, handshakeTimeout: .init(c.handshakeTimeout))
        let server = ArbiterServer(
            configuration: configuration, metrics: metrics, eventLoopGroup: eventLoopGroup, play: play, rooms: registry,
            services: [registry], logger: logger)
        return (server, registry)
    }
}
