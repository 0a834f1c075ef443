@testable import ArbiterBench
import Testing

/// Drives a schedule the way the proxy does, with simulated time: before each arrival, every
/// release due by then happens at its own time. Returns (release time, bytes) in order.
private func run(_ schedule: inout LinkSchedule, arrivals: [(at: Int64, bytes: Int)]) -> [(at: Int64, bytes: Int)] {
    var releases: [(at: Int64, bytes: Int)] = []
    func releaseDue(by limit: Int64) {
        while let next = schedule.nextRelease, next <= limit {
            let bytes = schedule.release(upTo: next)
            #expect(bytes > 0)
            releases.append((next, bytes))
        }
    }
    for arrival in arrivals {
        releaseDue(by: arrival.at)
        schedule.send(arrival.bytes, at: arrival.at)
    }
    releaseDue(by: .max)
    return releases
}

private let ms: Int64 = 1_000_000

@Suite("The link conditioner's schedule: delay, order, loss stalls and outages")
struct LinkScheduleTests {
    @Test("a clean link releases every byte at once")
    func cleanIsImmediate() {
        var schedule = LinkSchedule(profile: .clean, seed: 1)
        let releases = run(&schedule, arrivals: [(0, 10), (5 * ms, 3000), (6 * ms, 1)])
        #expect(releases.map(\.at) == [0, 5 * ms, 6 * ms])
        #expect(releases.map(\.bytes) == [10, 3000, 1])
        #expect(schedule.isEmpty)
    }

    @Test("reads are cut into segments, each with its own delay, and the stream stays in order")
    func jitterKeepsOrder() {
        var profile = LinkProfile(rttMs: 150, jitterMs: 20, lossPercent: 0)
        profile.segmentBytes = 100
        var schedule = LinkSchedule(profile: profile, seed: 42)
        // 60 reads a second for 10 s, each 250 bytes: three segments.
        let arrivals = (0..<600).map { (at: Int64($0) * 16_666_667, bytes: 250) }
        let releases = run(&schedule, arrivals: arrivals)
        #expect(releases.reduce(0) { $0 + $1.bytes } == 600 * 250)
        #expect(zip(releases, releases.dropFirst()).allSatisfy { $0.at < $1.at }, "one release per instant, in time order")
        // Walk the byte stream: each read's last byte leaves no sooner than it arrived, and the
        // delay averages a little over RTT/2 (order costs some extra wait), with spread.
        var delays: [Double] = []
        var released = 0, index = 0
        for (i, arrival) in arrivals.enumerated() {
            let end = (i + 1) * 250
            while released < end { released += releases[index].bytes; index += 1 }
            delays.append(Double(releases[index - 1].at - arrival.at) / 1e6)
        }
        #expect(delays.allSatisfy { $0 >= 0 })
        let mean = delays.reduce(0, +) / Double(delays.count)
        #expect(mean > 75 && mean < 110, "mean one-way delay \(mean) ms")
        #expect((delays.max()! - delays.min()!) > 30, "jitter spreads the delays")
    }

    @Test("the same seed repeats the run exactly; another seed does not")
    func seeded() {
        let arrivals = (0..<300).map { (at: Int64($0) * 16 * ms, bytes: 40) }
        var a = LinkSchedule(profile: .wan150, seed: 7)
        var b = LinkSchedule(profile: .wan150, seed: 7)
        var c = LinkSchedule(profile: .wan150, seed: 8)
        let ra = run(&a, arrivals: arrivals).map(\.at)
        #expect(ra == run(&b, arrivals: arrivals).map(\.at))
        #expect(ra != run(&c, arrivals: arrivals).map(\.at))
    }

    @Test("a lost lone segment waits for the retransmission timer")
    func loneLossTimesOut() {
        var profile = LinkProfile(rttMs: 150, jitterMs: 0, lossPercent: 100)
        profile.rtoMs = 200
        var schedule = LinkSchedule(profile: profile, seed: 1)
        let releases = run(&schedule, arrivals: [(0, 50)])
        #expect(releases.map(\.at) == [75 * ms + 200 * ms])
        #expect(schedule.losses == 1 && schedule.fastRetransmits == 0)
    }

    @Test("a loss followed soon by another segment costs the gap plus one RTT, and holds what is behind it")
    func fastRetransmit() {
        var profile = LinkProfile(rttMs: 150, jitterMs: 0, lossPercent: 100)
        profile.rtoMs = 200
        var schedule = LinkSchedule(profile: profile, seed: 1)
        // The first is recovered by the second's duplicate ACK: 0 + 75 + (10 + 150). The second
        // is lost too, with nothing behind it: 10 + 75 + 200.
        let releases = run(&schedule, arrivals: [(0, 50), (10 * ms, 50)])
        #expect(releases.map(\.at) == [235 * ms, 285 * ms])
        #expect(schedule.fastRetransmits == 1)

        // A follower too late for its ACK to beat the timer changes nothing.
        var late = LinkSchedule(profile: profile, seed: 1)
        #expect(run(&late, arrivals: [(0, 50), (60 * ms, 50)]).map(\.at) == [275 * ms, 335 * ms])
        #expect(late.fastRetransmits == 0)
    }

    @Test("1 % loss: rare stalls of about an RTT that release the segments behind in a burst")
    func lossStallsAndBursts() {
        let profile = LinkProfile(rttMs: 150, jitterMs: 0, lossPercent: 1)
        var schedule = LinkSchedule(profile: profile, seed: 3)
        let arrivals = (0..<3000).map { (at: Int64($0) * 16_666_667, bytes: 20) }
        let releases = run(&schedule, arrivals: arrivals)
        #expect(releases.reduce(0) { $0 + $1.bytes } == 3000 * 20)
        #expect(schedule.losses > 10 && schedule.losses < 60, "\(schedule.losses) losses in 3000 segments")
        #expect(schedule.fastRetransmits == schedule.losses, "at 60 Hz a segment always follows within 50 ms")
        // Without jitter every segment that is not held leaves exactly 75 ms after arriving; a
        // stall shows as a release carrying several segments, about 10 (167 ms at 60 Hz).
        let bursts = releases.filter { $0.bytes > 20 }
        #expect(bursts.count <= schedule.losses && bursts.count * 2 >= schedule.losses, "close losses may share a burst")
        // A lone loss holds the 9 segments sent during its 167 ms stall; a second loss inside
        // that stall splits the burst.
        #expect(bursts.allSatisfy { $0.bytes <= 10 * 20 }, "\(bursts.map(\.bytes))")
        #expect(bursts.filter { $0.bytes == 10 * 20 }.count * 10 >= bursts.count * 8, "\(bursts.map(\.bytes))")
        #expect(releases.count == 3000 - bursts.reduce(0) { $0 + $1.bytes / 20 - 1 })
    }

    @Test("an outage stops the direction, then releases everything at its end")
    func outage() {
        var profile = LinkProfile(rttMs: 150, jitterMs: 0, lossPercent: 0)
        profile.outageAtSeconds = 1
        profile.outageSeconds = 2
        var schedule = LinkSchedule(profile: profile, seed: 1)
        let releases = run(&schedule, arrivals: [(900 * ms, 1), (950 * ms, 2), (1500 * ms, 3), (2930 * ms, 4), (3100 * ms, 5)])
        // Due at 0.975 s: before the outage. Due at 1.025 s and 1.575 s: at its end, 3 s.
        // Due at 3.005 s and 3.175 s: after it, on their own time.
        #expect(releases.map(\.at) == [975 * ms, 3000 * ms, 3005 * ms, 3175 * ms])
        #expect(releases.map(\.bytes) == [1, 2 + 3, 4, 5])
    }
}
