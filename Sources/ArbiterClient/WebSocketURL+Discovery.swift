extension WebSocketURL {
    /// The path the Arbiter server serves its game socket on, next to its HTTP pages.
    public static let gameSocketPath = "play"

    /// Finds the game socket from the address a person would open in a browser.
    ///
    /// The server serves its pages and the game socket on one port, so the browser address is
    /// enough: `http://HOST:PORT[/prefix/page]` becomes `ws://HOST:PORT[/prefix]/play`,
    /// `https` becomes `wss`.
    /// The last path segment is treated as a page and dropped, so a server behind a path prefix
    /// (`http://host/arbiter/`) still works. A bare `HOST:PORT` is taken as http.
    ///
    /// A `ws://` or `wss://` address is used as given (an empty path becomes `/play`).
    ///
    /// `room`, when given, replaces any `room` query item; otherwise a `room` item in the page
    /// address (`http://host:8080/?room=duel`) is carried over.
    public static func gameSocket(forServerAddress address: String, room: String? = nil) throws -> WebSocketURL {
        let parts = try AddressParts(address)
        var url: WebSocketURL
        switch parts.scheme ?? "http" {
        case "ws", "wss":
            url = try WebSocketURL(address)
            if parts.path.isEmpty || parts.path == "/" {
                url.path = "/" + Self.gameSocketPath
            }
            if let room {
                url.query = AddressParts.query(url.query, setting: "room", to: room)
            }
            return url
        case "http", "https":
            let isSecure = parts.scheme == "https"
            let directory: Substring
            if let slash = parts.path.lastIndex(of: "/") {
                directory = parts.path[...slash]
            } else {
                directory = "/"
            }
            url = WebSocketURL(
                isSecure: isSecure,
                host: parts.host,
                port: parts.port ?? (isSecure ? 443 : 80),
                path: directory + Self.gameSocketPath
            )
            let pageRoom = parts.query.flatMap { AddressParts.queryValue("room", in: $0) }
            if let room = room ?? pageRoom {
                url.query = AddressParts.query(nil, setting: "room", to: room)
            }
            return url
        case let other:
            throw WebSocketClientError.unsupportedScheme.with(
                "\(other):// in \(address); expected http://HOST:PORT or ws://HOST:PORT/play"
            )
        }
    }
}
