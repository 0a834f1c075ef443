import Testing

@testable import ArenaServer

@Suite struct RecentEventsTests {
    /// The room's first two seconds: `now - window` would wrap below zero here.
    @Test func eventsOfARoomsFirstTicksAreKept() {
        var events = RecentEvents<String>(window: 120)
        events.record("first kill", at: 5)
        events.expire(now: 6)
        #expect(events.entries.map(\.event) == ["first kill"])
        events.expire(now: 124)
        #expect(events.entries.map(\.event) == ["first kill"])
        events.expire(now: 125)
        #expect(events.entries.isEmpty)
    }

    @Test func expiresOldestFirstAcrossTheTickCounterWrap() {
        var events = RecentEvents<Int>(window: 10)
        let start = UInt32.max - 4
        for i in 0..<8 { events.record(i, at: start &+ UInt32(i)) }
        events.expire(now: start &+ 12)  // ages 12, 11, 10 go; 9 and younger stay
        #expect(events.entries.map(\.event) == [3, 4, 5, 6, 7])
    }
}
