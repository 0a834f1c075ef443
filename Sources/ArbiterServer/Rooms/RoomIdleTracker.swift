/// Which rooms have stood empty long enough to stop, as a pure state machine: the registry
/// feeds it what it sees (rooms created, picked for a join, their player counts) with the time,
/// and it answers which rooms to retire. No clock or rooms in here.
///
/// A room counts as busy when it has players and when it was just handed to a connection that
/// has yet to send its hello: such a join reaches the room within the handshake timeout, so a
/// room is never retired under a player whose idle timeout exceeds it (`ServerConfiguration`
/// checks that it does).
struct RoomIdleTracker<Instant: InstantProtocol<Duration>>: Sendable {
    let timeout: Duration
    /// The last moment each tracked room was busy; rooms not in here are never retired.
    private var lastBusy: [Int: Instant] = [:]

    init(timeout: Duration) {
        self.timeout = timeout
    }

    var tracked: Set<Int> { Set(self.lastBusy.keys) }

    /// A room that may be retired once idle (one quick-join created).
    mutating func track(room: Int, now: Instant) {
        self.lastBusy[room] = now
    }

    /// The room was handed to a connection that will join it.
    mutating func picked(room: Int, now: Instant) {
        if self.lastBusy[room] != nil { self.lastBusy[room] = now }
    }

    /// The rooms' player counts as last published; returns the rooms to retire (no longer
    /// tracked afterwards).
    mutating func observe(players: [(room: Int, players: Int)], now: Instant) -> [Int] {
        var retired: [Int] = []
        for (room, count) in players {
            guard let busy = self.lastBusy[room] else { continue }
            if count > 0 {
                self.lastBusy[room] = now
            } else if busy.duration(to: now) >= self.timeout {
                self.lastBusy[room] = nil
                retired.append(room)
            }
        }
        return retired
    }
}
