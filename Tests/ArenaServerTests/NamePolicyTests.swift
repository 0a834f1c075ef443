import ArenaServer
import Testing

/// Protocol/README.md §7.1 "Names", rule by rule.
@Suite struct NamePolicyTests {
    @Test func namesAreTrimmedAndNormalizedToNFC() {
        #expect(NamePolicy.validated("  Zoë ☄ ") == "Zoë ☄")
        // e + COMBINING ACUTE becomes the precomposed é.
        #expect(NamePolicy.validated("Re\u{301}mi") == "R\u{E9}mi")
        #expect(NamePolicy.validated(" 123456789012345 ") == "123456789012345")
    }

    @Test func lengthIsOneToFifteenBytesAfterNormalization() {
        #expect(NamePolicy.validated("") == nil)
        #expect(NamePolicy.validated("   ") == nil)
        #expect(NamePolicy.validated("1234567890123456") == nil)
        // "e" + U+0301 is 3 bytes and é 2: NFC brings this 16-byte name down to 15.
        #expect(NamePolicy.validated("abcdefghijklm" + "e\u{301}") == "abcdefghijklm\u{E9}")
    }

    @Test(arguments: [
        "<script>", "a&b", "say\"hi\"", "tick`", // markup
        "a\u{2028}b", "a\u{2029}b", // line and paragraph separators
        "\u{0}a", "\ta", "a\u{7F}", "a\u{85}b", // Cc
        "a\u{AD}b", "a\u{200B}b", "\u{200E}a", "a\u{202E}", "a\u{2060}", "\u{FEFF}a", // Cf
        "a\u{E000}", "\u{F8FF}x", // Co, private use
        "a" + String(Unicode.Scalar(0xFFFF)!), "a" + String(Unicode.Scalar(0xFDD0)!), "a\u{50000}", // Cn: noncharacters (Swift literals refuse them), unassigned
        "\u{A0}Ada", "Ada\u{3000}x", "a\u{2003}b", // spaces other than U+0020
        "two  spaces", // not single
        "\u{301}a", "a \u{301}", // a mark with no base
        "a\u{301}\u{302}\u{303}\u{304}", "Z\u{36B}\u{36B}\u{36B}", // more than two marks on one base (after NFC: á + 3)
        "bot-1", "BOT-12", "Bot-007", // a server bot's name
    ])
    func refused(name: String) {
        #expect(NamePolicy.validated(name) == nil, "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test(arguments: ["Ada", "O'Brien", "ж-42", "李小龙", "😀 fun", "a\u{301}\u{302}", "x_y.z!", "bot", "bot-", "bot-x", "robot-1", "€5 ½"])
    func accepted(name: String) {
        #expect(NamePolicy.validated(name) != nil)
    }

    @Test func comparisonIgnoresCase() {
        #expect(NamePolicy.comparisonKey("ADA") == NamePolicy.comparisonKey("ada"))
        #expect(NamePolicy.comparisonKey("Zoë") != NamePolicy.comparisonKey("Zoe"))
    }
}
