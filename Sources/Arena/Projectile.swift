/// A projectile. It flies straight at a constant integer velocity derived from its spawn data,
/// so its position at tick t is `spawn + velocity * (t - spawnTick)`: a client draws it from
/// the spawn data alone (`World.projectileVelocity`, mirrored in Clients/web/src/arena/projectile.js).
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
    /// Lag compensation, fixed when fired: ships are hit where they were this many ticks
    /// earlier, which is where the shooter saw them (`PlayerInput.lagTicks`, capped).
    public internal(set) var lagTicks: Int32
}
