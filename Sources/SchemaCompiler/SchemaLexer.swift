/// Splits schema text into tokens. `#` starts a comment that runs to the end of the line.
struct Token: Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        /// The literal's text as written, so the schema hash and the generators see exact values.
        case number(String)
        case symbol(String)
        case newline
        case end
    }
    var kind: Kind
    var location: SourceLocation
}

struct SchemaLexer {
    static let symbols = ["->", "..", "{", "}", "(", ")", "[", "]", "<", ">", "=", ":", ",", "?", "|"]

    static func tokens(of text: String, file: String) throws(SchemaError) -> [Token] {
        let chars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0, line = 1, column = 1
        func here() -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
        func advance(_ n: Int = 1) { i += n; column += n }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                tokens.append(Token(kind: .newline, location: here()))
                i += 1; line += 1; column = 1
            } else if c == " " || c == "\t" || c == "\r" {
                advance()
            } else if c == "#" {
                while i < chars.count && chars[i] != "\n" { advance() }
            } else if c.properties.isAlphabetic || c == "_" {
                let start = here(), begin = i
                while i < chars.count && (chars[i].properties.isAlphabetic || chars[i] == "_" || ("0"..."9").contains(chars[i])) { advance() }
                tokens.append(Token(kind: .identifier(String(String.UnicodeScalarView(chars[begin..<i]))), location: start))
            } else if ("0"..."9").contains(c) || (c == "-" && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                let start = here(), begin = i
                advance()
                while i < chars.count {
                    if ("0"..."9").contains(chars[i]) { advance(); continue }
                    // A '.' followed by a digit continues a decimal; '..' is the range symbol.
                    if chars[i] == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1]) { advance(); continue }
                    break
                }
                tokens.append(Token(kind: .number(String(String.UnicodeScalarView(chars[begin..<i]))), location: start))
            } else if let symbol = symbols.first(where: { matches($0, chars, at: i) }) {
                tokens.append(Token(kind: .symbol(symbol), location: here()))
                advance(symbol.unicodeScalars.count)
            } else {
                throw SchemaError("unexpected character '\(c)'", at: here())
            }
        }
        tokens.append(Token(kind: .end, location: here()))
        return tokens
    }

    private static func matches(_ symbol: String, _ chars: [Unicode.Scalar], at i: Int) -> Bool {
        let s = Array(symbol.unicodeScalars)
        guard i + s.count <= chars.count else { return false }
        return Array(chars[i..<(i + s.count)]) == s
    }
}
