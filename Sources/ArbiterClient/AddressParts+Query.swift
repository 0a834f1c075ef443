import Foundation

/// Reading and setting items of a percent-encoded query (`a=1&room=duel`), with Foundation's
/// percent-encoding.
extension AddressParts {
    /// RFC 3986's unreserved characters: everything else in a name or value is percent-encoded.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// The value of the first item called `name`, decoded, or nil.
    static func queryValue(_ name: String, in query: String) -> String? {
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if decode(pair[0]) == name {
                return pair.count > 1 ? decode(pair[1]) : ""
            }
        }
        return nil
    }

    /// Replaces (or adds) `name=value` in a query, keeping the other items in order.
    static func query(_ query: String?, setting name: String, to value: String) -> String {
        var items = (query ?? "").split(separator: "&").filter { item in
            decode(item.prefix { $0 != "=" }) != name
        }.map(String.init)
        items.append("\(encode(name))=\(encode(value))")
        return items.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        // Only fails for text that is not valid Unicode, which a Swift String cannot hold.
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }

    /// Decodes %XX and "+" (as HTML forms send a space); a malformed escape leaves the text as written.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
