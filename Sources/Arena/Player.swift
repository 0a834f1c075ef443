/// A ship and its owner's bookkeeping. The world owns these; callers read them.
public struct Player: Sendable, Hashable {
    public internal(set) var id: EntityID
    public internal(set) var name: String
    /// FNV-1a of the name, computed once at join, so the per-tick state hash need not walk it.
    let nameHash: UInt64
    public internal(set) var x: Int32
    public internal(set) var y: Int32
    public internal(set) var vx: Int32
    public internal(set) var vy: Int32
    /// Binary angle of the last applied input.
    public internal(set) var aim: UInt16
    public internal(set) var health: Int32
    public internal(set) var alive: Bool
    /// Ticks until respawn while dead (0 when alive).
    public internal(set) var respawnTicks: Int32
    /// Ticks until the weapon may fire again.
    public internal(set) var cooldownTicks: Int32
    /// Ticks of double damage left.
    public internal(set) var powerTicks: Int32
    public internal(set) var kills: UInt32
    public internal(set) var deaths: UInt32
    public internal(set) var score: Int32
    /// The last input applied (its aim and buttons; with several in one step, the buttons of
    /// any of them).
    public internal(set) var lastInput: PlayerInput
    /// Steps on which the player had no input, so its ship held still (see `World.step`).
    public internal(set) var heldTicks: UInt32
    /// Bumped (wrapping) each time the ship is placed rather than moved: spawn and respawn.
    /// Clients snap to a new position exactly when it changes (`teleport` on the wire).
    public internal(set) var teleports: UInt8
    /// Whether the step in progress had an input for this player (a held ship does not fire).
    var hasInput = false

    public var powered: Bool { powerTicks > 0 }
}
