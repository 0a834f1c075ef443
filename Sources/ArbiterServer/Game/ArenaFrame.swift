import Arena
import ArbiterProtocol

/// What a room publishes on a snapshot tick: a frozen copy of the world (a value: its arrays are
/// shared copy-on-write, so publishing costs no copy until the next tick writes) and what each
/// session needs beside it. Read concurrently by every event loop, never written.
public final class ArenaFrame: Sendable {
    public let tick: UInt32
    public let world: World
    /// The last Input seq applied for each player, by entity id.
    let acks: [UInt32: UInt32]
    /// Recent events with the tick they happened on, oldest first, so a session that skipped
    /// snapshots (unwritable, or a snapshot interval > 1) still sends every event once.
    let kills: [(tick: UInt32, event: Kill)]
    let hits: [(tick: UInt32, event: Hit)]
    let scoreboard: [ScoreEntry]
    /// Every entity converted to its wire value once, for all the sessions that read this frame.
    let wireEntities: [WorldEntityEntry]
    /// Half the size of the area of interest around a player, in subunits.
    let viewHalfWidth: Int32
    let viewHalfHeight: Int32

    init(
        tick: UInt32, world: World, acks: [UInt32: UInt32], kills: [(tick: UInt32, event: Kill)], hits: [(tick: UInt32, event: Hit)],
        scoreboard: [ScoreEntry], viewHalfWidth: Int32, viewHalfHeight: Int32
    ) {
        self.tick = tick
        self.world = world
        self.acks = acks
        self.kills = kills
        self.hits = hits
        self.scoreboard = scoreboard
        self.wireEntities = Self.wireEntities(of: world)
        self.viewHalfWidth = viewHalfWidth
        self.viewHalfHeight = viewHalfHeight
    }
}
