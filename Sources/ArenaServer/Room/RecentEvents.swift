/// The room's events (kills, hits) of the last `window` ticks, oldest first. Frames carry them
/// all, and each session sends those newer than its baseline, so a session that missed
/// snapshots (a full socket) still hears of every event.
struct RecentEvents<Event> {
    private(set) var entries: [(tick: UInt32, event: Event)] = []
    let window: UInt32

    init(window: UInt32) {
        self.window = window
    }

    mutating func record(_ event: Event, at tick: UInt32) {
        entries.append((tick, event))
    }

    /// Drops the events `window` or more ticks old at `now`. By age, not against a horizon
    /// tick: `now - window` wraps during a room's first `window` ticks, which once dropped
    /// every early kill and hit before any snapshot carried it.
    mutating func expire(now: UInt32) {
        let expired = entries.prefix { now &- $0.tick >= window }.count
        if expired > 0 { entries.removeFirst(expired) }
    }
}
