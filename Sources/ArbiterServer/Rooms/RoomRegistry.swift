import NIOConcurrencyHelpers
import ServiceLifecycle

/// The rooms of a server: the ones created at start, plus rooms quick-join creates up to
/// `maxRooms`. Lists them for `GET /rooms`, and as a `Service` runs their tick threads until
/// graceful shutdown.
public final class RoomRegistry<Game: RoomGame>: RoomDirectory, Service, @unchecked Sendable {
    // @unchecked: `rooms` and `running` live behind `state`'s lock.
    public let maxRooms: Int
    private let makeRoom: @Sendable (_ id: Int) throws -> RoomRuntime<Game>
    private let state = NIOLockedValueBox(State())

    private struct State {
        var rooms: [RoomRuntime<Game>] = []
        /// Ids handed out, including rooms still being built outside the lock.
        var reserved = 0
        var nextID = 1
        var running = false
        var stopped = false
    }

    /// - Parameter makeRoom: builds a room (not started) with the given id; an error there
    ///   fails `init` for the initial rooms, and only that quick-join otherwise.
    public init(initialRooms: Int, maxRooms: Int, makeRoom: @escaping @Sendable (_ id: Int) throws -> RoomRuntime<Game>) throws {
        self.maxRooms = maxRooms
        self.makeRoom = makeRoom
        for _ in 0..<initialRooms { _ = try self.createRoom() }
    }

    public var rooms: [RoomRuntime<Game>] {
        self.state.withLockedValue { $0.rooms }
    }

    public func room(id: Int) -> RoomRuntime<Game>? {
        self.state.withLockedValue { state in state.rooms.first { $0.id == id } }
    }

    /// A new room, started if the registry runs; nil at the room limit or after shutdown.
    /// The room is built outside the lock (its id reserved first), so a slow or failing
    /// `makeRoom` never holds up `GET /rooms` or other joins.
    public func createRoom() throws -> RoomRuntime<Game>? {
        let id = self.state.withLockedValue { state -> Int? in
            guard !state.stopped, state.reserved < self.maxRooms else { return nil }
            state.reserved += 1
            defer { state.nextID += 1 }
            return state.nextID
        }
        guard let id else { return nil }
        let room: RoomRuntime<Game>
        do {
            room = try self.makeRoom(id)
        } catch {
            self.state.withLockedValue { $0.reserved -= 1 }
            throw error
        }
        let start = self.state.withLockedValue { state -> Bool? in
            guard !state.stopped else { return nil }
            state.rooms.append(room)
            return state.running
        }
        guard let start else { return nil }
        if start { room.start() }
        return room
    }

    /// The fullest room with a free place (by the last published summaries), else a new room.
    /// The room still decides on the join itself: summaries can be a few ticks old.
    public func quickJoinRoom() -> RoomRuntime<Game>? {
        let candidate = self.rooms
            .map { ($0, $0.summary) }
            .filter { $0.1.players + $0.1.bots < $0.1.capacity }
            .max { ($0.1.players, -$0.0.id) < ($1.1.players, -$1.0.id) }
        return candidate?.0 ?? (try? self.createRoom()) ?? nil
    }

    public func roomSummaries() -> [RoomSummary] {
        self.rooms.map(\.summary)
    }

    /// Starts every room, ticks until graceful shutdown, then stops them all.
    public func run() async throws {
        let rooms = self.state.withLockedValue { state in
            state.running = true
            return state.rooms
        }
        for room in rooms { room.start() }
        try? await gracefulShutdown()
        let stopping = self.state.withLockedValue { state in
            state.running = false
            state.stopped = true
            return state.rooms
        }
        for room in stopping { room.stop() }
    }
}
