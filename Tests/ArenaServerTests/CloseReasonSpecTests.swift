import ArbiterProtocol
import ArbiterServer
import ArenaServer
import Foundation
import NIOWebSocket
import Testing

/// Protocol/README.md §8 makes the close reason texts normative. This reads its table (between the
/// `<!-- close-reasons -->` markers) and checks it against every text the server can send, both
/// ways: each server text matches a row with its code and Kick, and each row with literal text is
/// something the server sends. A `<…>` in the table is a varying part, `[…]` an optional one.
@Suite struct CloseReasonSpecTests {
    struct Row {
        var code: UInt16
        var patterns: [String]
        var kick: String?
    }

    struct Sent {
        var code: UInt16
        var text: String
        var kick: KickReason?
        init(_ code: UInt16, _ text: String, _ kick: KickReason? = nil) {
            self.code = code
            self.text = text
            self.kick = kick
        }
        init(_ reason: SessionCloseReason) { self.init(reason.code, reason.reason, reason.kick) }
    }

    /// Every close the server sends: the session's (with their Kick) and the transport's (none).
    static var sent: [Sent] {
        let hash = ArenaProtocol.schemaHash
        return [
            Sent(.roomFull), Sent(.badName), Sent(.handshakeTimeout), Sent(.unknownRoom), Sent(.tooManyInputs), Sent(.draining),
            Sent(.protocolMismatch(serverHash: hash, clientHash: [0xAB, 0xCD, 0xEF, 0x01, 0x23], serverVersion: 1, clientVersion: 1)),
            Sent(.protocolMismatch(serverHash: hash, clientHash: [], serverVersion: 1, clientVersion: 7)),
            Sent(.malformed(.outOfRange(255, at: 40))),
            Sent(.malformed(.truncated(at: 72))),
            Sent(.malformed(.invalidUTF8(at: 12))),
            Sent(.unexpected("message before Hello")),
            Sent(.unexpected("second Hello")),
            // Transport closes (ArbiterServer's ServerWebSocketHandler): RFC 6455 codes, no Kick.
            Sent(1001, CloseCode.shuttingDownReason),
            Sent(1003, CloseCode.textFrameReason),
            Sent(1007, CloseCode.closeReasonNotUTF8),
            Sent(1009, CloseCode.tooLargeReason("frame", maxBytes: 1024)),
            Sent(1009, CloseCode.tooLargeReason("message", maxBytes: 1024)),
            Sent(UInt16(webSocketErrorCode: CloseCode.slowClient), CloseCode.slowClientReason),
        ] + JoinTicket.Failure.allCases.map { Sent(.badTicket($0)) }
    }

    static func rows() throws -> [Row] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/README.md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "<!-- close-reasons -->"))
        let end = try #require(lines.firstIndex(of: "<!-- /close-reasons -->"))
        return lines[(start + 1)..<end].compactMap { line in
            // | code | `text` / `text` | `kick` or – | when |
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, let code = UInt16(cells[1]) else { return nil }
            let patterns = cells[2].components(separatedBy: " / ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            let kick = cells[3] == "–" ? nil : cells[3].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            return Row(code: code, patterns: patterns, kick: kick)
        }
    }

    /// `<…>` is any non-empty text, `[…]` optional, everything else literal.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        var regex = "^"
        var inPlaceholder = false
        for c in pattern {
            switch c {
            case "<" where !inPlaceholder: inPlaceholder = true; regex += ".+"
            case ">" where inPlaceholder: inPlaceholder = false
            case _ where inPlaceholder: continue
            case "[": regex += "(?:"
            case "]": regex += ")?"
            default: regex += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        regex += "$"
        return text.range(of: regex, options: .regularExpression) != nil
    }

    static func isPlaceholderOnly(_ pattern: String) -> Bool { pattern.hasPrefix("<") && pattern.hasSuffix(">") }

    @Test func everyTextTheServerSendsIsInTheTable() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 12)
        for s in Self.sent {
            let fitting = rows.filter { $0.code == s.code && $0.patterns.contains { Self.matches($0, s.text) } }
            #expect(!fitting.isEmpty, "\(s.code) \"\(s.text)\" has no row in README §8")
            #expect(fitting.contains { $0.kick == s.kick.map { "\($0)" } }, "\(s.code) \"\(s.text)\": README's Kick column differs from \(String(describing: s.kick))")
        }
    }

    @Test func everyRowIsSomethingTheServerSends() throws {
        for row in try Self.rows() {
            for pattern in row.patterns where !Self.isPlaceholderOnly(pattern) {
                #expect(Self.sent.contains { $0.code == row.code && Self.matches(pattern, $0.text) }, "README §8 lists \(row.code) `\(pattern)`, which the server never sends")
            }
        }
    }

    @Test func thePatternLanguageIsStrict() {
        #expect(Self.matches("room full", "room full"))
        #expect(!Self.matches("room full", "room full!"))
        #expect(Self.matches("a <x>[ (v <y>)]", "a 1"))
        #expect(Self.matches("a <x>[ (v <y>)]", "a 1 (v 2)"))
        #expect(!Self.matches("a <x>[ (v <y>)]b", "a 1 (v 2)"))
    }
}
