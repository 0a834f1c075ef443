/// A per-connection token bucket on inputs, so one client that floods (measured: 160,000
/// inputs a second) cannot fill its room's command queue or its own input buffer: each input
/// takes a token, tokens come back at 1.25 × the tick rate (room for a client's input clock
/// running a little fast), and the bucket holds as many as the room's input buffer, so a burst
/// after an outage passes whole. An empty bucket means the client sent more than four seconds of
/// input ahead of the clock: no honest client does, so the session closes it (4007).
///
/// Pure: the caller passes the time in (nanoseconds, any monotonic origin).
package struct InputRateLimit {
    let capacity: Double
    /// Tokens per nanosecond.
    let refill: Double
    private var tokens: Double
    private var last: Int64?

    package init(tickRate: Int, capacity: Int) {
        self.capacity = Double(capacity)
        self.refill = 1.25 * Double(tickRate) / 1e9
        self.tokens = Double(capacity)
    }

    /// Takes a token for one input at `now`; false when there is none left.
    package mutating func admit(now: Int64) -> Bool {
        if let last { tokens = Swift.min(capacity, tokens + Double(Swift.max(0, now - last)) * refill) }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
