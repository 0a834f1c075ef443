import Arena
import ArbiterProtocol

/// What a room publishes on a snapshot tick: a frozen copy of the world's entities (`World.View`:
/// its arrays are shared copy-on-write, so publishing costs no copy until the next tick writes)
/// and what each session needs beside it. Read concurrently by every event loop, never written.
public final class ArenaFrame: Sendable {
    public let tick: UInt32
    /// The entities, their slots and the view grid; not the simulation's own state (trails, ship
    /// grid, scratch), which a frame kept alive for as long as a session held it.
    public let world: World.View
    /// Each player's input acknowledgement, by entity id.
    let acks: [UInt32: InputAck]
    /// Recent events with the tick they happened on, oldest first, so a session that skipped
    /// snapshots (unwritable, or a snapshot interval > 1) still sends every event once.
    let kills: [(tick: UInt32, event: Kill)]
    let hits: [(tick: UInt32, event: Hit)]
    let scoreboard: [ScoreEntry]
    /// What every session's delta needs from this frame, worked out once: every entity as its
    /// wire value, where each slot is, when each entity last changed, and against the frame
    /// before, what did not change and each changed entity's update, encoded (`SharedFrame`).
    public let shared: SharedFrame<WorldEntity>
    /// Half the size of the area of interest around a player, in subunits.
    let viewHalfWidth: Int32
    let viewHalfHeight: Int32

    public init(
        tick: UInt32, world: World, acks: [UInt32: InputAck], kills: [(tick: UInt32, event: Kill)], hits: [(tick: UInt32, event: Hit)],
        scoreboard: [ScoreEntry], viewHalfWidth: Int32, viewHalfHeight: Int32, previous: ArenaFrame? = nil
    ) {
        self.tick = tick
        self.world = world.view
        self.acks = acks
        self.kills = kills
        self.hits = hits
        self.scoreboard = scoreboard
        self.shared = SharedFrame(entries: Self.wireEntities(of: world), tick: tick, previous: previous?.shared)
        self.viewHalfWidth = viewHalfWidth
        self.viewHalfHeight = viewHalfHeight
    }

    /// Every entity converted to its wire value once, for all the sessions that read this frame.
    public var wireEntities: [WorldEntityEntry] { shared.entries }

    /// For each of `wireEntities`, the tick of the last frame in which its value changed.
    public var changedAt: [UInt32] { shared.changedAt }

    /// A view of this frame (`ViewScratch.slots`) as the entity set a delta reads in place.
    public func entitySet(slots: SlotSet) -> SharedEntitySet<WorldEntity> {
        SharedEntitySet(frame: shared, slots: slots)
    }
}

/// A player's input state as of a frame (Protocol/README.md §12): the last input simulated, and
/// how many still wait in its buffer.
public struct InputAck: Sendable, Equatable {
    public var seq: UInt32
    public var buffered: Int

    public init(seq: UInt32, buffered: Int) {
        self.seq = seq
        self.buffered = buffered
    }
}
