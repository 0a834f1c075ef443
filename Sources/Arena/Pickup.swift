/// A pickup spot from the map, available or waiting to respawn.
public struct Pickup: Sendable, Hashable {
    public internal(set) var id: EntityID
    public internal(set) var kind: ArenaMap.PickupKind
    public internal(set) var x: Int32
    public internal(set) var y: Int32
    public internal(set) var respawnTicks: Int32
    public var available: Bool { respawnTicks == 0 }
}
