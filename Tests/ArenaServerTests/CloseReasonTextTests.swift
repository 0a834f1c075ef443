import ArbiterProtocol
import Testing

@testable import ArenaServer

/// Kick details are cut to `Kick.Limits.detail` bytes: a cut must never split a character, or
/// the peer gets invalid UTF-8 (and the old Kick path crashed on it). The close frame's own cut
/// is tested beside the transport (`CloseReasonCutTests`).
@Suite struct CloseReasonTextTests {
    /// The Kick `end(_:using:)` sends: a detail of any length fits and encodes.
    @Test func kickDetailsAreCutToTheSchemaLimit() throws {
        let detail = "ab" + String(repeating: "é", count: Kick.Limits.detail)
        let kick = Kick.saturating(reason: .malformed, detail: detail)
        #expect(kick.detail.utf8.count == Kick.Limits.detail)  // "ab" + 59 × "é"
        #expect(detail.hasPrefix(kick.detail))
        var w = BitWriter()
        try kick.encodeMessage(into: &w)
        var decoder = ServerMessageDecoder()
        #expect(try decoder.decode(w.bytes) == .kick(kick))
    }
}
