import ArbiterProtocol
import Testing

@testable import ArenaServer

/// Close reasons and Kick details are cut to a byte budget (123, and `Kick.Limits.detail`): a
/// cut must never split a character, or the peer gets invalid UTF-8 (and the old Kick path
/// crashed on it).
@Suite struct CloseReasonTextTests {
    @Test func cutsOnCharacterBoundaries() {
        let text = String(repeating: "é", count: 70)  // 2 bytes each: 140 bytes
        let cut = text.utf8Prefix(maxBytes: 121)
        #expect(cut.count == 120)
        #expect(String(validating: cut, as: UTF8.self) == String(repeating: "é", count: 60))
        let emoji = "ab" + String(repeating: "🎮", count: 40)  // 4 bytes each
        for budget in 0...20 {
            let prefix = emoji.utf8Prefix(maxBytes: budget)
            #expect(prefix.count <= budget)
            #expect(String(validating: prefix, as: UTF8.self) != nil)
        }
        #expect("short".utf8Prefix(maxBytes: 120).elementsEqual("short".utf8))
    }

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
