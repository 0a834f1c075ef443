/// What `GET /rooms` lists. The room layer implements it; it is called from HTTP handlers on
/// any thread, so implementations read a published snapshot rather than a live world.
public protocol RoomDirectory: Sendable {
    func roomSummaries() -> [RoomSummary]
}

/// One row of `GET /rooms` (Protocol/README.md §7.2).
public struct RoomSummary: Codable, Sendable, Equatable {
    public var id: Int
    public var map: String
    /// People connected and playing.
    public var players: Int
    /// Seats held for dropped people within their resume grace period; a new player may
    /// displace the oldest of them when the room has no free seat.
    public var held: Int
    public var bots: Int
    public var capacity: Int
    /// Seats nobody holds: `capacity - players - held - bots`.
    public var free: Int
    public var tick: UInt64

    public init(id: Int, map: String, players: Int, held: Int = 0, bots: Int, capacity: Int, tick: UInt64) {
        self.id = id
        self.map = map
        self.players = players
        self.held = held
        self.bots = bots
        self.capacity = capacity
        self.free = Swift.max(0, capacity - players - held - bots)
        self.tick = tick
    }

    /// Whether a new player can get a seat: a free one, or a held one it displaces.
    public var admitsNewPlayer: Bool { free > 0 || held > 0 }
}

/// A server without rooms (transport tests, echo-only runs).
public struct NoRooms: RoomDirectory {
    public init() {}
    public func roomSummaries() -> [RoomSummary] { [] }
}
