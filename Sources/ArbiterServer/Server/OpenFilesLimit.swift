#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-files limit (RLIMIT_NOFILE), which bounds connections: every socket is a
/// file. The default soft limit (often 1,024) is far below what the server can hold.
enum OpenFilesLimit {
    /// Files kept for everything but client sockets: listening socket, event loops, logs,
    /// static files, the tick threads' timers.
    static let reserve = 64

    /// Raises the soft limit to the hard limit; returns both after the change (nil if unknown).
    @discardableResult
    static func raiseToHardLimit() -> (soft: Int, hard: Int)? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
            // macOS refuses more than OPEN_MAX for RLIMIT_NOFILE even when the hard limit is higher.
            raised.rlim_cur = min(raised.rlim_cur, rlim_t(OPEN_MAX))
            #endif
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return (Self.clamp(limit.rlim_cur), Self.clamp(limit.rlim_max))
    }

    /// `maxConnections`, lowered to what the current soft limit leaves for client sockets.
    static func connectionBudget(_ maxConnections: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return maxConnections }
        return max(1, min(maxConnections, Self.clamp(limit.rlim_cur) - Self.reserve))
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
