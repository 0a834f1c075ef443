/// Cutting text to a `string(MAX)` field's byte limit (Protocol/README.md, 3.1 "Generated
/// limits") so that encoding it cannot throw and the receiver never gets broken UTF-8.
extension String {
    /// `self` if its UTF-8 fits `maxBytes`, otherwise its longest prefix that does, cut between
    /// Unicode scalars (never inside a UTF-8 sequence). Allocates only when it cuts.
    public func truncatedToUTF8(maxBytes: Int) -> String {
        let utf8 = self.utf8
        guard utf8.count > maxBytes else { return self }
        var end = utf8.index(utf8.startIndex, offsetBy: Swift.max(0, maxBytes))
        // Back off continuation bytes (10xxxxxx): `end` then starts a scalar.
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { utf8.formIndex(before: &end) }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}
