import ArbiterServer
import ArbiterProtocol
import NIOWebSocket

extension ServerWebSocket {
    /// Ends a session as Protocol/README.md §8 says: the `Kick` first (its detail cut between
    /// Unicode scalars to `Kick.Limits.detail` bytes by `Kick.saturating`), then the close frame.
    /// One place for it, so a refusal before the session starts and a session's own close say the same.
    func end(_ reason: SessionCloseReason, using writer: inout BitWriter) {
        if let kick = reason.kick {
            if (try? Kick.saturating(reason: kick, detail: reason.reason).encodeMessage(into: &writer)) != nil {
                send(bytes: writer.bytes)
            }
        }
        close(code: WebSocketErrorCode(codeNumber: Int(reason.code)), reason: reason.reason)
    }
}
