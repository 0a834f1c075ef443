/// Which browser pages may open a WebSocket (RFC 6455 §10.2): a page on another site must not
/// be able to play, or flood, with its visitors' browsers. Pure; the request guard asks it.
///
/// Empty allow-list: same origin only, i.e. the Origin's host:port equals the request's `Host`
/// (the page was served by this server, or by the proxy in front of it). A request without
/// Origin is not from a browser page (bots, native clients) and is allowed: Origin protects
/// browser users, it does not authenticate anyone.
struct OriginPolicy: Sendable {
    /// Normalised origins (`scheme://host[:port]`, lower case, default port dropped).
    private let allowed: Set<String>

    init(allowedOrigins: [String]) {
        self.allowed = Set(allowedOrigins.compactMap(Self.normalized))
    }

    func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        guard let normalized = Self.normalized(origin) else { return false }
        if !self.allowed.isEmpty { return self.allowed.contains(normalized) }
        guard let host, let scheme = normalized.split(separator: ":").first else { return false }
        let authority = normalized.dropFirst(scheme.count + 3)
        return authority == Self.authority(host.lowercased(), scheme: String(scheme))
    }

    /// `scheme://host[:port]` for an http(s) origin, or nil for anything else (`null`, paths).
    static func normalized(_ origin: String) -> String? {
        var text = origin.lowercased()
        if text.hasSuffix("/") { text.removeLast() }
        let scheme: String
        if text.hasPrefix("http://") {
            scheme = "http"
        } else if text.hasPrefix("https://") {
            scheme = "https"
        } else {
            return nil
        }
        let rest = String(text.dropFirst(scheme.count + 3))
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?"), !rest.contains("#") else { return nil }
        return "\(scheme)://\(authority(rest, scheme: scheme))"
    }

    /// `host:port` without the scheme's default port.
    private static func authority(_ hostAndPort: String, scheme: String) -> String {
        let defaultPort = scheme == "https" ? ":443" : ":80"
        return hostAndPort.hasSuffix(defaultPort) ? String(hostAndPort.dropLast(defaultPort.count)) : hostAndPort
    }
}
