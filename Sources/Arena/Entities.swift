/// A ship and its owner's bookkeeping. The world owns these; callers read them.
public struct Player: Sendable, Hashable {
    public internal(set) var id: EntityID
    public internal(set) var name: String
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
    /// The input applied on the last step and how many steps in a row it was repeated for
    /// want of a fresh one.
    public internal(set) var lastInput: PlayerInput
    public internal(set) var missedInputs: Int32
    /// The input set for the coming step, if one arrived.
    var pendingInput: PlayerInput?

    public var powered: Bool { powerTicks > 0 }
}

/// A projectile. It flies straight at a constant integer velocity derived from its spawn data,
/// so its position at tick t is `spawn + velocity * (t - spawnTick)`: a client draws it from
/// the spawn data alone (velocity = cosQ14/sinQ14(angle) * projectileSpeed / 16384, truncated).
public struct Projectile: Sendable, Hashable {
    public internal(set) var id: EntityID
    public internal(set) var owner: EntityID
    public internal(set) var spawnX: Int32
    public internal(set) var spawnY: Int32
    public internal(set) var angle: UInt16
    public internal(set) var spawnTick: UInt32
    public internal(set) var vx: Int32
    public internal(set) var vy: Int32
    public internal(set) var x: Int32
    public internal(set) var y: Int32
    /// Damage fixed when fired (a powered shot stays powered).
    public internal(set) var damage: Int32
}

/// A pickup spot from the map, available or waiting to respawn.
public struct Pickup: Sendable, Hashable {
    public internal(set) var id: EntityID
    public internal(set) var kind: ArenaMap.PickupKind
    public internal(set) var x: Int32
    public internal(set) var y: Int32
    public internal(set) var respawnTicks: Int32
    public var available: Bool { respawnTicks == 0 }
}

public enum EntityKind: UInt8, Sendable, Hashable {
    case player = 1
    case projectile = 2
    case pickup = 3
}

/// A kill during the last step.
public struct KillEvent: Sendable, Hashable {
    public var killer: EntityID
    public var victim: EntityID
}

/// Damage dealt during the last step.
public struct HitEvent: Sendable, Hashable {
    public var attacker: EntityID
    public var target: EntityID
    public var damage: Int32
}
