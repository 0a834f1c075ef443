import Arena
import ArbiterProtocol

/// What a room publishes on a snapshot tick: a frozen copy of the world (a value: its arrays are
/// shared copy-on-write, so publishing costs no copy until the next tick writes) and what each
/// session needs beside it. Read concurrently by every event loop, never written.
public final class ArenaFrame: Sendable {
    public let tick: UInt32
    public let world: World
    /// Each player's input acknowledgement, by entity id.
    let acks: [UInt32: InputAck]
    /// Recent events with the tick they happened on, oldest first, so a session that skipped
    /// snapshots (unwritable, or a snapshot interval > 1) still sends every event once.
    let kills: [(tick: UInt32, event: Kill)]
    let hits: [(tick: UInt32, event: Hit)]
    let scoreboard: [ScoreEntry]
    /// Every entity converted to its wire value once, for all the sessions that read this frame.
    public let wireEntities: [WorldEntityEntry]
    /// For each of `wireEntities`, the tick of the last frame in which its value changed: a
    /// client whose baseline is at least that recent has it already (`SharedEntitySet`).
    public let changedAt: [UInt32]
    /// `wireEntities` position by slot (-1: none), for the next frame's `changedAt`.
    let positionBySlot: [Int32]
    /// Half the size of the area of interest around a player, in subunits.
    let viewHalfWidth: Int32
    let viewHalfHeight: Int32

    public init(
        tick: UInt32, world: World, acks: [UInt32: InputAck], kills: [(tick: UInt32, event: Kill)], hits: [(tick: UInt32, event: Hit)],
        scoreboard: [ScoreEntry], viewHalfWidth: Int32, viewHalfHeight: Int32, previous: ArenaFrame? = nil
    ) {
        self.tick = tick
        self.world = world
        self.acks = acks
        self.kills = kills
        self.hits = hits
        self.scoreboard = scoreboard
        let entries = Self.wireEntities(of: world)
        self.wireEntities = entries
        (self.changedAt, self.positionBySlot) = Self.changes(of: entries, at: tick, since: previous)
        self.viewHalfWidth = viewHalfWidth
        self.viewHalfHeight = viewHalfHeight
    }

    /// Compares each entry with the same entity in `previous` (the frame published before this
    /// one; not retained): unchanged entries carry its `changedAt` over, the others get `tick`.
    private static func changes(
        of entries: [WorldEntityEntry], at tick: UInt32, since previous: ArenaFrame?
    ) -> (changedAt: [UInt32], positionBySlot: [Int32]) {
        var changedAt = [UInt32](repeating: tick, count: entries.count)
        let slots = entries.reduce(0) { Swift.max($0, Int($1.slot) + 1) }
        var positionBySlot = [Int32](repeating: -1, count: slots)
        for (p, entry) in entries.enumerated() {
            let slot = Int(entry.slot)
            positionBySlot[slot] = Int32(p)
            guard let previous, slot < previous.positionBySlot.count else { continue }
            let q = Int(previous.positionBySlot[slot])
            if q >= 0, previous.wireEntities[q] == entry { changedAt[p] = previous.changedAt[q] }
        }
        return (changedAt, positionBySlot)
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
