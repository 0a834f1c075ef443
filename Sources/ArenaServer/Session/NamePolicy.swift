import ArbiterProtocol
import Foundation  // NFC (`precomposedStringWithCanonicalMapping`)

/// What a player may be called (Protocol/README.md §7.1, "Names"): the rule every name passes
/// before any other player sees it. Pure; the session applies it to `Hello.name`, the room adds
/// the one rule that needs the room (no two players or bots with the same name).
public enum NamePolicy {
    /// The schema's limit: `type Name = string(15)` in Protocol/arena.schema.
    public static let maxBytes = Name.maxLength
    /// Combining marks allowed on one base character (e.g. a letter with two accents).
    public static let maxMarksPerBase = 2
    /// Characters that mean something to HTML: refused so that a client which forgets to
    /// escape a name still shows text, not markup (clients must escape all the same).
    static let markup: Set<Unicode.Scalar> = ["<", ">", "&", "\"", "`"]

    /// The name players will see, or nil if `name` breaks the policy: trimmed of leading and
    /// trailing U+0020, NFC-normalized, then 1...15 bytes of UTF-8 made of letters, marks,
    /// numbers, punctuation, symbols and single U+0020 spaces; no markup characters; at most
    /// two combining marks on a base character (none first); not a server bot's name `bot-N`.
    public static func validated(_ name: String) -> String? {
        let scalars = name.unicodeScalars.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        let normalized = String(String.UnicodeScalarView(scalars)).precomposedStringWithCanonicalMapping
        guard !normalized.isEmpty, normalized.utf8.count <= maxBytes else { return nil }
        var marks = 0
        var previous: Unicode.Scalar?
        for scalar in normalized.unicodeScalars {
            switch Kind(scalar) {
            case .refused:
                return nil
            case .space:
                guard previous != " " else { return nil }
                marks = 0
            case .mark:
                marks += 1
                guard previous != nil, previous != " ", marks <= maxMarksPerBase else { return nil }
            case .base:
                marks = 0
            }
            previous = scalar
        }
        return isBotName(normalized) ? nil : normalized
    }

    /// `bot-` and decimal digits, in any case: the names the server gives its fill bots.
    public static func isBotName(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard lower.hasPrefix("bot-") else { return false }
        let digits = lower.dropFirst(4)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The key two names are compared by in a room: the same name ignoring case.
    public static func comparisonKey(_ name: String) -> String { name.lowercased() }

    private enum Kind {
        case base, mark, space, refused

        init(_ scalar: Unicode.Scalar) {
            if scalar == " " { self = .space; return }
            if NamePolicy.markup.contains(scalar) { self = .refused; return }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber,
                .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation,
                .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
                self = .base
            case .nonspacingMark, .spacingMark, .enclosingMark:
                self = .mark
            // Other spaces (U+00A0, U+3000...), line and paragraph separators (U+2028, U+2029),
            // controls, format characters, surrogates, private use and unassigned (U+FFFF).
            case .spaceSeparator, .lineSeparator, .paragraphSeparator,
                .control, .format, .surrogate, .privateUse, .unassigned:
                self = .refused
            @unknown default:
                self = .refused
            }
        }
    }
}
