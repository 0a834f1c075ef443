/// The per-tick events a `World` reports after `step()` (kills and hits), for the HUD and feeds.

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
