/// What `GET /rooms` lists. The room layer implements it; it is called from HTTP handlers on
/// any thread, so implementations read a published snapshot rather than a live world.
public protocol RoomDirectory: Sendable {
    func roomSummaries() -> [RoomSummary]
}

/// One row of `GET /rooms`.
public struct RoomSummary: Codable, Sendable, Equatable {
    public var id: Int
    public var map: String
    public var players: Int
    public var bots: Int
    public var capacity: Int
    public var tick: UInt64

    public init(id: Int, map: String, players: Int, bots: Int, capacity: Int, tick: UInt64) {
        self.id = id
        self.map = map
        self.players = players
        self.bots = bots
        self.capacity = capacity
        self.tick = tick
    }
}

/// A server without rooms (transport tests, echo-only runs).
public struct NoRooms: RoomDirectory {
    public init() {}
    public func roomSummaries() -> [RoomSummary] { [] }
}
