@testable import ArbiterServer
import Foundation
import NIOConcurrencyHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The tick thread asks for the priority it is given, and says what the kernel granted.
@Suite struct TickPriorityTests {
    /// The policy and nice value of a thread that applied `priority`, read on that thread.
    private func applied(_ priority: TickPriority) async -> (granted: TickPriority, policy: Int32, nice: Int32) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let granted = priority.applyToCurrentThread()
                var policy: Int32 = -1
                var parameters = sched_param()
                pthread_getschedparam(pthread_self(), &policy, &parameters)
                errno = 0
                let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                continuation.resume(returning: (granted, policy, nice))
            }
            thread.start()
        }
    }

    @Test func normalLeavesTheThreadAlone() async {
        let result = await self.applied(.normal)
        #expect(result.granted == .normal)
        #expect(result.policy == Int32(SCHED_OTHER))
    }

    /// Root (CI) gets SCHED_FIFO; a process without CAP_SYS_NICE falls back, and says so.
    @Test func realtimeIsGrantedOrFallsBackTruthfully() async {
        let result = await self.applied(.realtime)
        switch result.granted {
        case .realtime:
            #expect(result.policy == Int32(SCHED_FIFO))
        case .nice:
            #expect(result.policy == Int32(SCHED_OTHER))
            #expect(result.nice == TickPriority.niceValue)
        case .normal:
            #expect(result.policy == Int32(SCHED_OTHER))
        }
        if geteuid() == 0 { #expect(result.granted == .realtime) }
    }

    @Test func niceLowersOnlyTheCallingThread() async {
        let result = await self.applied(.nice)
        if geteuid() == 0 {
            #expect(result.granted == .nice)
            #expect(result.nice == TickPriority.niceValue)
        }
        // The test's own thread keeps its nice value.
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) != TickPriority.niceValue)
    }

    /// A room's thread reports the priority it got through the metrics' counter.
    @Test func tickThreadReportsWhatItGot() async throws {
        let granted = NIOLockedValueBox<TickPriority?>(nil)
        let thread = TickThread(
            name: "priority-test", tickRate: 60, priority: .nice,
            onStarted: { applied in granted.withLockedValue { $0 = applied } },
            body: { _ in }, onFinished: { _, _ in })
        thread.start()
        for _ in 0..<200 where granted.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        await thread.stop()
        let value = try #require(granted.withLockedValue { $0 })
        #expect(value != .realtime)
        if geteuid() == 0 { #expect(value == .nice) }
    }
}
