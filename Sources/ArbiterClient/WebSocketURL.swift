/// A parsed `ws://` or `wss://` address: what the client needs to open a TCP connection and send
/// the upgrade request. ``AddressParts`` reads it with Foundation's URLComponents.
public struct WebSocketURL: Sendable, Hashable, CustomStringConvertible {
    /// `wss://`: the connection speaks TLS (``WebSocketClientConfiguration/tls``).
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
