/// A parsed `ws://` or `wss://` address: what the client needs to open a TCP connection and send
/// the upgrade request. Parsed by hand (no Foundation) so the bot links only NIO.
public struct WebSocketURL: Sendable, Hashable, CustomStringConvertible {
    /// `wss://`. The client refuses to connect to these (no TLS); the type still represents them
    /// so that discovery can say clearly what the server asked for.
    public var isSecure: Bool
    /// Host name or IP literal, without the brackets of an IPv6 literal.
    public var host: String
    public var port: Int
    /// Starts with "/".
    public var path: String
    /// Percent-encoded query without the leading "?", or nil.
    public var query: String?

    public init(isSecure: Bool = false, host: String, port: Int, path: String = "/", query: String? = nil) {
        self.isSecure = isSecure
        self.host = host
        self.port = port
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.query = query
    }

    /// Parses a `ws://` or `wss://` URL. Any other scheme is an error; use
    /// ``gameSocket(forServerAddress:room:)`` to accept what a person types.
    public init(_ string: String) throws {
        let parts = try AddressParts(string)
        switch parts.scheme {
        case "ws": self.isSecure = false
        case "wss": self.isSecure = true
        case nil: throw WebSocketClientError.invalidAddress.with("\(string): expected ws://HOST:PORT/PATH")
        case let other?: throw WebSocketClientError.unsupportedScheme.with("\(other):// in \(string)")
        }
        self.host = parts.host
        self.port = parts.port ?? (self.isSecure ? 443 : 80)
        self.path = parts.path.isEmpty ? "/" : parts.path
        self.query = parts.query
    }

    /// The request target of the upgrade request: path plus query.
    public var requestTarget: String {
        guard let query else { return self.path }
        return "\(self.path)?\(query)"
    }

    var bracketedHost: String {
        self.host.contains(":") ? "[\(self.host)]" : self.host
    }

    /// The `Host` header value: the port is left out when it is the scheme's default.
    public var hostHeader: String {
        let defaultPort = self.isSecure ? 443 : 80
        return self.port == defaultPort ? self.bracketedHost : "\(self.bracketedHost):\(self.port)"
    }

    public var description: String {
        "\(self.isSecure ? "wss" : "ws")://\(self.hostHeader)\(self.requestTarget)"
    }

    /// The value of the query parameter `name`, percent-decoded, or nil.
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        return AddressParts.queryValue(name, in: query)
    }
}

/// The pieces of `scheme://host:port/path?query#fragment`. `scheme` may be absent (`host:port`).
struct AddressParts {
    var scheme: String?
    var host: String
    var port: Int?
    var path: String
    var query: String?

    init(_ input: String) throws {
        let text = input.trimmingASCIIWhitespace()
        var rest = Substring(text)
        if let range = rest.firstRange(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            guard let first = scheme.first, first.isASCII, first.isLetter,
                scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
            else {
                throw WebSocketClientError.invalidAddress.with("bad scheme in \(input)")
            }
            self.scheme = scheme
            rest = rest[range.upperBound...]
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var pathAndQuery = rest[authorityEnd...]
        if let question = pathAndQuery.firstIndex(of: "?") {
            self.query = String(pathAndQuery[pathAndQuery.index(after: question)...])
            pathAndQuery = pathAndQuery[..<question]
        }
        self.path = String(pathAndQuery)
        guard !authority.contains("@") else {
            throw WebSocketClientError.invalidAddress.with("user information is not supported in \(input)")
        }

        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw WebSocketClientError.invalidAddress.with("unclosed [ in \(input)")
            }
            self.host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw WebSocketClientError.invalidAddress.with("unexpected text after ] in \(input)")
                }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            self.host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            self.host = String(authority)
        }
        guard !self.host.isEmpty else {
            throw WebSocketClientError.invalidAddress.with("no host in \(input)")
        }
        guard !self.host.contains(where: { $0.isWhitespace || $0 == "%" }) else {
            throw WebSocketClientError.invalidAddress.with("bad host in \(input)")
        }
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let port = Int(portText), (1...65535).contains(port)
            else {
                throw WebSocketClientError.invalidAddress.with("bad port \"\(portText)\" in \(input)")
            }
            self.port = port
        }
    }

    static func queryValue(_ name: String, in query: String) -> String? {
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if percentDecode(pair[0]) == name {
                return pair.count > 1 ? percentDecode(pair[1]) : ""
            }
        }
        return nil
    }

    /// Replaces (or adds) `name=value` in a query, keeping the other items in order.
    static func query(_ query: String?, setting name: String, to value: String) -> String {
        var items = (query ?? "").split(separator: "&").filter { item in
            let key = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            return percentDecode(key) != name
        }.map(String.init)
        items.append("\(percentEncode(name))=\(percentEncode(value))")
        return items.joined(separator: "&")
    }

    /// Encodes everything except RFC 3986 unreserved characters.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 15)]))
            }
        }
        return out
    }

    /// Decodes %XX and "+" (as sent by HTML forms); malformed escapes are kept literally.
    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
