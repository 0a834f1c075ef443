import NIOConcurrencyHelpers
import ServiceLifecycle

/// The rooms of a server: the ones created at start, plus rooms quick-join creates up to
/// `maxRooms`. Lists them for `GET /rooms`, and as a `Service` runs their tick threads until
/// graceful shutdown. A room quick-join created stops once it has stood empty for
/// `idleTimeout` (its thread ends, it leaves `GET /rooms` and `arbiter_rooms`); the rooms
/// created at start stay.
public final class RoomRegistry<Game: RoomGame>: RoomDirectory, Service, @unchecked Sendable {
    // @unchecked: `rooms` and `running` live behind `state`'s lock.
    public let maxRooms: Int
    public let idleTimeout: Duration?
    private let makeRoom: @Sendable (_ id: Int) throws -> RoomRuntime<Game>
    private let state: NIOLockedValueBox<State>

    private struct State {
        var rooms: [RoomRuntime<Game>] = []
        var idle: RoomIdleTracker<ContinuousClock.Instant>
        /// Ids handed out, including rooms still being built outside the lock.
        var reserved = 0
        var nextID = 1
        var running = false
        var stopped = false
    }

    /// - Parameters:
    ///   - idleTimeout: how long a room quick-join created may stand empty; nil keeps every room.
    ///   - makeRoom: builds a room (not started) with the given id; an error there fails `init`
    ///     for the initial rooms, and only that quick-join otherwise.
    public init(
        initialRooms: Int, maxRooms: Int, idleTimeout: Duration? = nil,
        makeRoom: @escaping @Sendable (_ id: Int) throws -> RoomRuntime<Game>
    ) throws {
        self.maxRooms = maxRooms
        self.idleTimeout = idleTimeout
        self.makeRoom = makeRoom
        self.state = NIOLockedValueBox(State(idle: RoomIdleTracker(timeout: idleTimeout ?? .zero)))
        for _ in 0..<initialRooms { _ = try self.createRoom(retiresWhenIdle: false) }
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
        try self.createRoom(retiresWhenIdle: self.idleTimeout != nil)
    }

    private func createRoom(retiresWhenIdle: Bool) throws -> RoomRuntime<Game>? {
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
            if retiresWhenIdle { state.idle.track(room: room.id, now: .now) }
            return state.running
        }
        guard let start else { return nil }
        if start { room.start() }
        return room
    }

    /// The room a quick-join tries next, never one of `tried` (ids of rooms that refused it as
    /// full): the fullest room with a free seat by the last published summaries, else one where
    /// a held seat can be displaced, else a new room, else any room not tried yet (summaries
    /// are a few ticks old: a room listed full may have a seat again). Nil once every room has
    /// been tried and none can be created, so a session that retries on "full" asks each room
    /// at most once and refuses only when all of them refused.
    public func quickJoinRoom(excluding tried: Set<Int> = []) -> RoomRuntime<Game>? {
        guard let room = self.quickJoinCandidate(excluding: tried) else { return nil }
        // Marked busy so the idle sweep leaves it to the joining player; retired meanwhile: next.
        return self.markPicked(room) ? room : self.quickJoinRoom(excluding: tried.union([room.id]))
    }

    private func quickJoinCandidate(excluding tried: Set<Int>) -> RoomRuntime<Game>? {
        let candidates = self.rooms.filter { !tried.contains($0.id) }.map { ($0, $0.summary) }
        func fullest(_ rooms: [(RoomRuntime<Game>, RoomSummary)]) -> RoomRuntime<Game>? {
            rooms.max { ($0.1.players + $0.1.held, -$0.0.id) < ($1.1.players + $1.1.held, -$1.0.id) }?.0
        }
        if let room = fullest(candidates.filter { $0.1.free > 0 }) { return room }
        if let room = fullest(candidates.filter { $0.1.admitsNewPlayer }) { return room }
        if let room = (try? self.createRoom()) ?? nil { return room }
        return candidates.min { $0.0.id < $1.0.id }?.0
    }

    /// True while a room reserved by `createRoom` is still being built (not yet in `rooms`): a
    /// quick-join that found no room should look again in a moment instead of refusing.
    public var isBuildingRoom: Bool {
        self.state.withLockedValue { $0.reserved > $0.rooms.count }
    }

    /// The room with this id, marked busy (a connection is about to join it).
    public func joinRoom(id: Int) -> RoomRuntime<Game>? {
        self.state.withLockedValue { state in
            guard let room = state.rooms.first(where: { $0.id == id }) else { return nil }
            state.idle.picked(room: id, now: .now)
            return room
        }
    }

    /// False when the room has been retired since it was chosen.
    private func markPicked(_ room: RoomRuntime<Game>) -> Bool {
        self.state.withLockedValue { state in
            guard state.rooms.contains(where: { $0 === room }) else { return false }
            state.idle.picked(room: room.id, now: .now)
            return true
        }
    }

    public func roomSummaries() -> [RoomSummary] {
        self.rooms.map(\.summary)
    }

    /// Starts every room, ticks until graceful shutdown (retiring idle rooms meanwhile), then
    /// stops them all: every thread is signalled first, then each awaited.
    public func run() async throws {
        let rooms = self.state.withLockedValue { state in
            state.running = true
            return state.rooms
        }
        for room in rooms { room.start() }
        if let idleTimeout {
            // A quarter of the timeout between sweeps, within 50 ms...1 s.
            let sweep = min(max(idleTimeout / 4, .milliseconds(50)), .seconds(1))
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try? await Task.sleep(for: sweep)
                    await self.retireIdleRooms()
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        let stopping = self.state.withLockedValue { state in
            state.running = false
            state.stopped = true
            return state.rooms
        }
        await Self.stop(stopping)
    }

    /// Stops the rooms that have stood empty for the idle timeout; returns their ids.
    @discardableResult
    public func retireIdleRooms() async -> [Int] {
        let retired = self.state.withLockedValue { state -> [RoomRuntime<Game>] in
            guard !state.stopped else { return [] }
            // A held seat keeps a room: its player may still resume there.
            let counts = state.rooms.map { (room: $0.id, players: $0.summary.players + $0.summary.held) }
            let ids = Set(state.idle.observe(players: counts, now: .now))
            guard !ids.isEmpty else { return [] }
            let retired = state.rooms.filter { ids.contains($0.id) }
            state.rooms.removeAll { ids.contains($0.id) }
            state.reserved -= retired.count
            return retired
        }
        await Self.stop(retired)
        return retired.map(\.id)
    }

    private static func stop(_ rooms: [RoomRuntime<Game>]) async {
        for room in rooms { room.requestStop() }
        for room in rooms { await room.stop() }
    }
}
