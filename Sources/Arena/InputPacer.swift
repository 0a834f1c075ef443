/// The client's side of the server's input buffer (Protocol/README.md §5.1): how many Inputs to
/// send at each tick of the client's own clock, so that they reach the server just before the
/// ticks that take them. A pure state machine: the caller calls `inputsDue()` once per tick of
/// its clock and `observe` with each Snapshot's report; no clock, no I/O.
///
/// Every Input waiting in the server's buffer is a tick of latency; an Input that comes too late
/// makes the server hold the ship. So the lead the client keeps is set by what the link did:
/// - **a hold** (the server found no Input of ours) grows the lead by a tick by itself: the late
///   Input is taken a tick later, and every Input after it too. The pacer sends nothing extra;
///   it only starts its window again, since the queue it saw before no longer holds.
/// - **when every report of the last `windowSeconds`** showed at least `k` of our Inputs still
///   waiting after the tick, it skips `k` ticks' sends: the lead shrinks to what the worst moment
///   of that window needed. It then waits for the server to acknowledge an Input sent after the
///   skip before it judges again (reports in flight still show the queue from before).
/// On a clean link the lead settles below a tick: Inputs wait at most about a tick on the server.
/// Jitter grows it only as far as the worst lateness seen lately, and it comes back down a window
/// after the jitter goes.
///
/// An earlier rule also sent one Input more after each hold. That counted the hold's tick twice:
/// every hold left two ticks of lead for a whole window, and at 1,000 clients on two cores (where
/// a hold follows any scheduling hiccup) the input→ack p99 was 58–67 ms against 36–46 without it
/// (`arbiter-bench capacity`, RESULTS.md), with no more holds through wan150.
///
/// What changes is when Inputs are sent, never what they say: each is still one tick of intent,
/// and the server simulates one per tick (its catch-up above T drains what a stall piled up).
public struct InputPacer: Sendable {
    /// Ticks still to skip (send nothing).
    private var skipping = 0
    /// The fewest Inputs of ours the server had waiting after a tick, over the window so far.
    private var spare = Int.max
    private var reportsInWindow = 0
    private let reportsPerWindow: Int
    /// Reports are not judged until one acknowledges this seq (the first Input sent after the
    /// last change).
    private var settlingUntil: UInt32?
    private var lastHeldTicks: UInt32?

    /// Holds reported, and ticks skipped.
    public private(set) var holds = 0
    public private(set) var skips = 0

    /// - Parameters:
    ///   - reportsPerSecond: Snapshots per second (Welcome: tick rate / snapshot interval).
    ///   - windowSeconds: how long a surplus must last before the pacer gives it up.
    public init(reportsPerSecond: Int, windowSeconds: Double = 2) {
        reportsPerWindow = max(1, Int((Double(max(1, reportsPerSecond)) * windowSeconds).rounded()))
    }

    /// Called once per tick of the client's clock: how many Inputs to send now (1; 0 while
    /// giving up a surplus).
    public mutating func inputsDue() -> Int {
        guard skipping > 0 else { return 1 }
        skipping -= 1
        return 0
    }

    /// A Snapshot's report: `inputBuffer` (our Inputs still waiting after its tick), `ackSeq`,
    /// whether the server held our ship since the previous Snapshot, and the seq our next Input
    /// will carry.
    public mutating func observe(inputBuffer: Int, ackSeq: UInt32, held: Bool, nextSeq: UInt32) {
        if held {
            holds += 1
            restartWindow()
            return
        }
        if let until = settlingUntil {
            guard Int32(bitPattern: ackSeq &- until) >= 0 else { return }
            settlingUntil = nil
            restartWindow()
        }
        spare = min(spare, inputBuffer)
        reportsInWindow += 1
        guard reportsInWindow >= reportsPerWindow else { return }
        if spare > 0 {
            skipping += spare
            skips += spare
            settlingUntil = nextSeq
        }
        restartWindow()
    }

    /// The same, with the server's count of held ticks (`Own.heldTicks`) instead of a flag: a
    /// change since the previous report is a hold.
    public mutating func observe(inputBuffer: Int, ackSeq: UInt32, heldTicks: UInt32, nextSeq: UInt32) {
        let held = lastHeldTicks.map { $0 != heldTicks } ?? false
        lastHeldTicks = heldTicks
        observe(inputBuffer: inputBuffer, ackSeq: ackSeq, held: held, nextSeq: nextSeq)
    }

    private mutating func restartWindow() {
        spare = .max
        reportsInWindow = 0
    }
}
