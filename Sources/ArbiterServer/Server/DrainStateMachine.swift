/// An instance's way out, as a pure state machine: serving → draining → closing.
///
/// Draining stops new joins (readiness turns 503) while running matches go on; it ends when no
/// player is left, when the drain timeout passes, or at a second signal (an operator's second
/// Ctrl-C or SIGTERM). Closing is the last phase: every connection gets 1001 and the rooms stop.
/// It decides, the caller acts (`DrainService` carries the actions out); time comes in as values.
public struct DrainStateMachine<Instant: InstantProtocol<Duration>>: Sendable {
    public enum State: Sendable, Equatable {
        case serving
        case draining(since: Instant, deadline: Instant)
        case closing(ClosingCause)
    }

    /// Where a drain request came from: a second signal ends the drain early.
    public enum Source: Sendable, Equatable {
        case signal
        /// `POST /admin/drain` or a call on the running server.
        case request
    }

    public enum ClosingCause: String, Sendable, Equatable {
        case empty = "no players left"
        case timedOut = "drain timeout"
        case forced = "second signal"
        case shutdown = "shutdown without drain"
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Refuse new joins, report unready, check `playersLeft` from time to time.
        case stopTakingPlayers
        /// Close every connection with 1001 and stop.
        case close(ClosingCause, drained: Duration)
    }

    public private(set) var state: State = .serving
    public let timeout: Duration
    private var signals = 0

    public init(timeout: Duration) {
        self.timeout = timeout
    }

    public var isDraining: Bool {
        if case .serving = self.state { false } else { true }
    }

    public mutating func drainRequested(from source: Source, now: Instant) -> Action {
        if source == .signal { self.signals += 1 }
        switch self.state {
        case .serving:
            self.state = .draining(since: now, deadline: now.advanced(by: self.timeout))
            return .stopTakingPlayers
        case .draining(let since, _):
            guard source == .signal, self.signals >= 2 else { return .none }
            self.state = .closing(.forced)
            return .close(.forced, drained: since.duration(to: now))
        case .closing:
            return .none
        }
    }

    /// A periodic check while draining, with the players still in rooms.
    public mutating func checked(playersLeft: Int, now: Instant) -> Action {
        guard case .draining(let since, let deadline) = self.state else { return .none }
        let cause: ClosingCause
        if playersLeft == 0 {
            cause = .empty
        } else if now >= deadline {
            cause = .timedOut
        } else {
            return .none
        }
        self.state = .closing(cause)
        return .close(cause, drained: since.duration(to: now))
    }

    /// The process is stopping without a drain (a test's or an embedder's shutdown).
    public mutating func shutdown(now: Instant) -> Action {
        switch self.state {
        case .closing:
            return .none
        case .draining(let since, _):
            self.state = .closing(.shutdown)
            return .close(.shutdown, drained: since.duration(to: now))
        case .serving:
            self.state = .closing(.shutdown)
            return .close(.shutdown, drained: .zero)
        }
    }
}
