/// What an entity id names; players, projectiles and pickups share one id space.
public enum EntityKind: UInt8, Sendable, Hashable {
    case player = 1
    case projectile = 2
    case pickup = 3
}
