/// Notices a peer that has stopped reading while the kernels still take its bytes: on loopback
/// the peer's receive buffer and our send buffer hold 130–270 KB (measured; SO_SNDBUF cannot
/// shrink the peer's side), 15–30 s of snapshots before the socket reports full.
///
/// With the messages the server sends anyway, at most every `timeout / 8`, it adds a WebSocket
/// ping carrying a token; the pong proves the peer read everything sent before it. A ping still
/// unanswered after `timeout` is a stalled reader (the handler confirms it `interval` later, after
/// the loop has read what arrived meanwhile): dropped within 1.25 × `timeout` of its last read.
/// Pure: times in, actions out.
struct ReadProbe {
    enum Action: Equatable {
        case none
        case ping(token: UInt64)
        case stalled
    }

    let timeout: Int64
    let interval: Int64
    private var outstanding: (token: UInt64, sentAt: Int64)?
    /// When the last probe was answered (or the probe started).
    private var lastAnswered: Int64
    private var nextToken: UInt64 = 0

    /// Times in nanoseconds of a monotonic clock.
    init(timeout: Int64, now: Int64) {
        self.timeout = timeout
        self.interval = timeout / 8
        self.lastAnswered = now
    }

    /// After a message went out.
    mutating func messageSent(now: Int64) -> Action {
        if let outstanding = self.outstanding {
            return now - outstanding.sentAt >= self.timeout ? .stalled : .none
        }
        guard now - self.lastAnswered >= self.interval else { return .none }
        self.nextToken &+= 1
        self.outstanding = (self.nextToken, now)
        return .ping(token: self.nextToken)
    }

    /// Whether the outstanding ping is older than the timeout (the verdict, re-checked after
    /// the loop has read what arrived meanwhile).
    func isStalled(now: Int64) -> Bool {
        self.outstanding.map { now - $0.sentAt >= self.timeout } ?? false
    }

    mutating func pongReceived(token: UInt64, now: Int64) {
        guard self.outstanding?.token == token else { return }
        self.outstanding = nil
        self.lastAnswered = now
    }
}
