import ArbiterProtocol

/// What sessions send their room, applied on the room thread at the next tick.
///
/// 16 bytes: the command queue keeps the capacity of its largest burst (every player's inputs
/// of a stalled read), so inputs travel as `QueuedInput` and the rare, large join behind a
/// pointer (as a 64-byte `JoinRequest` inline it made every command 72 bytes).
public enum ArenaCommand: Sendable {
    indirect case join(JoinRequest)
    /// The connection is gone: the player stays for the resume grace period, then leaves.
    case leave(player: UInt32)
    case input(player: UInt32, QueuedInput)
}

public struct JoinRequest: Sendable {
    public var name: String
    public var resumeToken: [UInt8]?
    /// The client's address without the port: held seats are bounded per address.
    public var address: String
    /// False while the instance drains: only a resume gets in, anyone else gets 4009.
    public var admitsNewPlayer = true
    /// Called on the room thread with the outcome; hop to the session's loop from there.
    public var reply: @Sendable (JoinResult) -> Void

    package init(name: String, resumeToken: [UInt8]?, address: String, reply: @escaping @Sendable (JoinResult) -> Void) {
        self.name = name
        self.resumeToken = resumeToken
        self.address = address
        self.reply = reply
    }
}

public enum JoinResult: Sendable {
    case joined(Welcome, MapInfo)
    case refused(SessionCloseReason)
}
