import LeanSocket
import Testing

@Suite struct InputAckTimesTests {
    @Test func eachInputIsTimedOnceWhenFirstAcknowledged() {
        var times = InputAckTimes()
        for seq in UInt32(1)...5 { times.sent(seq: seq, at: UInt64(seq) * 100) }
        var latencies: [UInt64] = []
        times.acknowledge(3, nextSeq: 6, now: 1_000) { latencies.append($0) }
        #expect(latencies == [900, 800, 700])
        latencies = []
        times.acknowledge(3, nextSeq: 6, now: 2_000) { latencies.append($0) }
        times.acknowledge(2, nextSeq: 6, now: 2_000) { latencies.append($0) }
        #expect(latencies.isEmpty, "an ack at or behind the last one times nothing")
        // An ack beyond what was sent times only what was sent.
        times.acknowledge(9, nextSeq: 6, now: 3_000) { latencies.append($0) }
        #expect(latencies == [2_600, 2_500])
        #expect(times.ackedThrough == 9)
    }

    @Test func onlyTheWindowIsTimedAfterALongGap() {
        var times = InputAckTimes()
        for seq in UInt32(1)...100 { times.sent(seq: seq, at: UInt64(seq)) }
        var count = 0
        times.acknowledge(100, nextSeq: 101, now: 1_000) { latency in
            count += 1
            #expect(latency <= 1_000 - 37)
        }
        #expect(count == Int(InputAckTimes.window))
    }

    @Test func seqWrapsAround() {
        var times = InputAckTimes()
        let start = UInt32.max - 1
        // Acks move forward at most half the sequence space at a time (serial arithmetic):
        // bring the window up to the wrap in two steps, with nothing sent to time.
        times.acknowledge(0x7FFF_FFFF, nextSeq: 1, now: 0) { _ in Issue.record("nothing was sent") }
        times.acknowledge(start &- 1, nextSeq: 0x8000_0000, now: 0) { _ in Issue.record("nothing was sent") }
        for i in UInt32(0)..<4 { times.sent(seq: start &+ i, at: 10 * UInt64(i)) }
        var latencies: [UInt64] = []
        times.acknowledge(start &+ 3, nextSeq: start &+ 4, now: 100) { latencies.append($0) }
        #expect(latencies == [100, 90, 80, 70])
    }
}
