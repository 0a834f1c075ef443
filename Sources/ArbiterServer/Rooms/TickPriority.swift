#if canImport(Glibc)
import Glibc
#endif

/// How a room's tick thread asks the kernel to be scheduled against the event loops.
///
/// On two cores the loops and the tick threads share the CPUs: at 1,000 clients the loops are
/// busy most of each tick, and a normal-priority tick thread that wakes at its deadline waits
/// for the scheduler to preempt a loop, which makes the room's clock late
/// (Tests/Benchmarks/RESULTS.md, "Keeping the clock on time", has the measurements).
/// - `realtime`: `SCHED_FIFO` at the lowest real-time priority. A tick thread sleeps most of
///   each period, so it preempts a loop at once when it wakes and yields the core when it sleeps
///   again. The kernel's real-time throttling (`sched_rt_runtime_us`, 95 % by default) still
///   bounds a runaway tick. Needs `CAP_SYS_NICE` (root, or granted to the container).
/// - `nice`: the normal scheduler with nice -10 for the tick thread only (also `CAP_SYS_NICE`).
/// - `normal`: what every thread gets.
/// A request the process may not make falls back down the list, and the room logs what it got.
public enum TickPriority: String, Sendable, CaseIterable {
    case normal, nice, realtime

    /// Applies the best priority up to `self` to the calling thread and returns the one applied.
    @discardableResult
    func applyToCurrentThread() -> TickPriority {
        #if canImport(Glibc)
        if self == .realtime {
            var parameters = sched_param()
            parameters.sched_priority = sched_get_priority_min(Int32(SCHED_FIFO))
            if pthread_setschedparam(pthread_self(), Int32(SCHED_FIFO), &parameters) == 0 { return .realtime }
        }
        if self != .normal {
            // Linux keeps a nice value per thread, and `who` 0 is the calling thread (setpriority(2), BUGS).
            if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceValue) == 0 { return .nice }
        }
        #endif
        return .normal
    }

    /// The nice value of `nice`: well above the loops' 0, short of the -20 a system daemon might need.
    static let niceValue: Int32 = -10
}
