import Testing

@testable import ArbiterWebSocket

/// Close reasons are cut to the 123 bytes a close frame carries: a cut must never split a
/// character, or the peer gets invalid UTF-8.
@Suite struct CloseReasonCutTests {
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
}
