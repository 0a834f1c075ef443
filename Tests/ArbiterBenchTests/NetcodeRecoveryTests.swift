import ArbiterClient
@testable import ArbiterBench
import Testing

@Suite("Reading the netcode run's timeline and the server's counters")
struct NetcodeRecoveryTests {
    private let second: UInt64 = 1_000_000_000

    /// 20 snapshots and one correction per 100 ms all along, none in the outage (5 s to 7 s),
    /// a burst of corrections for `ownTurmoil` after it and of jumps for `remoteTurmoil`.
    private func timeline(ownTurmoil: Int, remoteTurmoil: Int) -> EventTimeline {
        var timeline = EventTimeline(origin: 1000 * second, seconds: 30)
        for bucket in 0..<150 {
            let at = timeline.origin + UInt64(bucket) * EventTimeline.bucketNanoseconds
            if (50..<70).contains(bucket) { continue }
            timeline.record(.snapshot, at: at, count: 20)
            if bucket % 10 == 0 { timeline.record(.correction, at: at) }
            if bucket >= 70 && bucket < 70 + ownTurmoil { timeline.record(.correction, at: at, count: 5) }
            if bucket >= 70 && bucket < 70 + remoteTurmoil { timeline.record(.jump, at: at, count: 2) }
        }
        return timeline
    }

    @Test("smooth again once a whole second has at most one disturbance")
    func recovery() {
        let outage = (1005 * second)..<(1007 * second)
        let calm = NetcodeRecovery(timeline: timeline(ownTurmoil: 0, remoteTurmoil: 0), outage: outage)
        #expect(calm == NetcodeRecovery.init(ownMs: 0, remoteMs: 0))
        let rough = NetcodeRecovery(timeline: timeline(ownTurmoil: 4, remoteTurmoil: 12), outage: outage)
        #expect(rough.ownMs == 400)
        #expect(rough.remoteMs == 1200)
        let endless = NetcodeRecovery(timeline: timeline(ownTurmoil: 80, remoteTurmoil: 0), outage: outage)
        #expect(endless.ownMs == nil)
        // Snapshots must flow as well: here they come back only 700 ms after the link.
        var late = EventTimeline(origin: 1000 * second, seconds: 30)
        for bucket in 0..<150 where !(50..<77).contains(bucket) {
            late.record(.snapshot, at: late.origin + UInt64(bucket) * EventTimeline.bucketNanoseconds, count: 20)
        }
        #expect(NetcodeRecovery(timeline: late, outage: outage) == NetcodeRecovery(ownMs: 700, remoteMs: 700))
    }

    @Test("counters are summed over labels, and a missing one is told from zero")
    func counters() {
        let text = """
            # TYPE arbiter_inputs_rejected_total counter
            arbiter_inputs_rejected_total{room="a"} 3
            arbiter_inputs_rejected_total{room="b"} 4
            arbiter_inputs_held_total 0
            arbiter_inputs_held_total_other 9
            """
        #expect(PrometheusCounters.sum("arbiter_inputs_rejected_total", in: text) == 7)
        #expect(PrometheusCounters.sum("arbiter_inputs_held_total", in: text) == 0)
        #expect(PrometheusCounters.sum("arbiter_inputs_dropped_total", in: text) == nil)
    }
}
