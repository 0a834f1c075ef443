/// Accumulates generated source with four-space indentation.
struct CodeWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ s: String = "") {
        text += s.isEmpty ? "\n" : String(repeating: "    ", count: depth) + s + "\n"
    }

    mutating func lines(_ ss: [String]) { for s in ss { line(s) } }

    /// Writes `header {` and indents what follows until `close()`.
    mutating func open(_ header: String) {
        line(header + " {")
        depth += 1
    }

    mutating func close(_ trailer: String = "}") {
        depth -= 1
        line(trailer)
    }
}
