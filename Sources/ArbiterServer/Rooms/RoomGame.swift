/// The game logic of one room, supplied by the game layer (Arena) to `RoomRuntime`.
///
/// Threading: created anywhere, then used only on the room's tick thread. It never sees a
/// socket; loops talk to it through `Command`s and read its `Frame`s.
public protocol RoomGame: AnyObject, SendableMetatype {
    /// Everything the event loops send to the room: joins, leaves, inputs. Applied at the next
    /// tick in arrival order.
    associatedtype Command: Sendable
    /// The immutable state published on snapshot ticks. Every connection of the room encodes
    /// its own snapshot from it on its own loop, so it must be safe to read from several
    /// threads at once (a final class with `let` fields, or a struct of arrays).
    associatedtype Frame: Sendable

    /// Applies `commands` (then cleared by the runtime, capacity kept) and advances one tick.
    func step(tick: UInt64, commands: [Command])

    /// Called after `step` on snapshot ticks (`tick % snapshotInterval == 0`).
    func publish(tick: UInt64) -> Frame

    /// Called after `publish`: the room's row in `GET /rooms`.
    func summary(tick: UInt64) -> RoomSummary
}

/// A room's receiver of frames on one event loop, typically a player's session.
///
/// `deliver` runs on the loop the member was attached on, with the newest frame only: when a
/// loop falls behind, older frames are dropped (counted as superseded) rather than queued.
public protocol RoomMember<Frame>: AnyObject {
    associatedtype Frame: Sendable
    func deliver(_ frame: Frame)
}
