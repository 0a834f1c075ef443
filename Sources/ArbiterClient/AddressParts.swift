import Foundation

/// The pieces of `scheme://host:port/path?query#fragment` that the client uses, read by
/// Foundation's URLComponents and checked for what a connection needs (a host, a port in
/// 1...65535, no user information). `scheme` may be absent (`host:port`) and is lowercased; the
/// fragment is dropped. Shared by ``WebSocketURL`` and server-address discovery.
struct AddressParts {
    var scheme: String?
    /// Without the brackets of an IPv6 literal.
    var host: String
    var port: Int?
    /// Percent-encoded; empty when the address has none.
    var path: String
    /// Percent-encoded, without the "?".
    var query: String?

    init(_ input: String) throws {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        // Without "://", URLComponents would read `host:port` as a scheme and a path.
        let hasScheme = text.contains("://")
        let url = hasScheme ? text : "//" + text
        guard let components = URLComponents(string: url),
            (components.scheme != nil) == hasScheme
        else {
            throw WebSocketClientError.invalidAddress.with("\(input) is not a URL")
        }
        guard components.percentEncodedUser == nil, components.percentEncodedPassword == nil else {
            throw WebSocketClientError.invalidAddress.with("user information is not supported in \(input)")
        }
        guard let encodedHost = components.percentEncodedHost, !encodedHost.isEmpty, encodedHost != "[]" else {
            throw WebSocketClientError.invalidAddress.with("no host in \(input)")
        }
        guard !encodedHost.contains("%") else {
            throw WebSocketClientError.invalidAddress.with("percent-encoded host in \(input)")
        }
        if let port = components.port {
            guard (1...65535).contains(port) else {
                throw WebSocketClientError.invalidAddress.with("bad port \(port) in \(input)")
            }
        } else if let hostEnd = components.rangeOfHost?.upperBound, url[hostEnd...].hasPrefix(":") {
            // URLComponents takes "host:" as no port; a person who typed the colon meant one.
            throw WebSocketClientError.invalidAddress.with("empty port in \(input)")
        }
        let isBracketed = encodedHost.hasPrefix("[") && encodedHost.hasSuffix("]")
        self.scheme = components.scheme?.lowercased()
        self.host = isBracketed ? String(encodedHost.dropFirst().dropLast()) : encodedHost
        self.port = components.port
        self.path = components.percentEncodedPath
        self.query = components.percentEncodedQuery
    }
}
