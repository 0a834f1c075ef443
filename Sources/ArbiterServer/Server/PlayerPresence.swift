import NIOConcurrencyHelpers

/// Who is connected and playing, as the game reports it: the engine-level hook through which
/// an orchestrator hears of players (Agones' PlayerConnect/PlayerDisconnect) without the
/// engine knowing the game. The game calls `connected` when a session has joined a room and
/// `disconnected` when it leaves; both are a lock and a dictionary update, safe on any event
/// loop. Readers take a copy when they need it (at most once a second), never per tick.
public final class PlayerPresence: Sendable {
    /// Sessions per id: two connections under one id (a resume racing its old socket's close)
    /// keep the id present until both are gone.
    private let sessions = NIOLockedValueBox<[String: Int]>([:])

    public init() {}

    public func connected(_ id: String) {
        self.sessions.withLockedValue { $0[id, default: 0] += 1 }
    }

    public func disconnected(_ id: String) {
        self.sessions.withLockedValue { sessions in
            guard let count = sessions[id] else { return }
            sessions[id] = count > 1 ? count - 1 : nil
        }
    }

    /// The ids connected now.
    public var ids: Set<String> {
        self.sessions.withLockedValue { Set($0.keys) }
    }
}
