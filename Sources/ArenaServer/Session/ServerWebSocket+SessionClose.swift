import ArbiterServer
import ArbiterProtocol
import NIOWebSocket

extension ServerWebSocket {
    /// Ends a session as Protocol/README.md §8 says: the `Kick` first (its detail cut, on a
    /// character boundary, to the 120 bytes the schema allows), then the close frame. One place
    /// for it, so a refusal before the session starts and a session's own close say the same.
    func end(_ reason: SessionCloseReason, using writer: inout BitWriter) {
        if let kick = reason.kick {
            let detail = String(decoding: reason.reason.utf8Prefix(maxBytes: 120), as: UTF8.self)
            if (try? Kick(reason: kick, detail: detail).encodeMessage(into: &writer)) != nil {
                send(bytes: writer.bytes)
            }
        }
        close(code: WebSocketErrorCode(codeNumber: Int(reason.code)), reason: reason.reason)
    }
}
