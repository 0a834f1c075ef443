import Testing

@testable import ArbiterClient

@Suite("finding the game socket from a server address")
struct WebSocketURLTests {
    @Test("browser addresses map to the /play socket on the same host and port", arguments: [
        ("http://127.0.0.1:8080", nil, "ws://127.0.0.1:8080/play"),
        ("http://localhost:8080/", "duel", "ws://localhost:8080/play?room=duel"),
        ("  http://Example.org:8080/index.html  ", nil, "ws://Example.org:8080/play"),
        ("http://host:8080/?room=abc", nil, "ws://host:8080/play?room=abc"),
        ("http://host:8080/?x=1&room=abc#top", "x y/z", "ws://host:8080/play?room=x%20y%2Fz"),
        ("http://host/arbiter/", nil, "ws://host/arbiter/play"),
        ("http://host/arbiter/index.html", nil, "ws://host/arbiter/play"),
        ("localhost:9000", nil, "ws://localhost:9000/play"),
        ("http://[::1]:8080", "r1", "ws://[::1]:8080/play?room=r1"),
        ("https://arena.example.net", nil, "wss://arena.example.net/play"),
        ("HTTPS://arena.example.net:8443/", nil, "wss://arena.example.net:8443/play"),
        ("ws://127.0.0.1:8080/play?room=a&bots=1", "b", "ws://127.0.0.1:8080/play?bots=1&room=b"),
        ("ws://127.0.0.1:8080/custom", nil, "ws://127.0.0.1:8080/custom"),
        ("ws://127.0.0.1:8080", nil, "ws://127.0.0.1:8080/play"),
        ("wss://secure.example:9443/play", nil, "wss://secure.example:9443/play"),
    ] as [(String, String?, String)])
    func discovery(address: String, room: String?, expected: String) throws {
        let url = try WebSocketURL.gameSocket(forServerAddress: address, room: room)
        #expect(url.description == expected)
    }

    @Test("the pieces the connection uses")
    func parts() throws {
        let url = try WebSocketURL.gameSocket(forServerAddress: "http://[::1]:8080/?room=a%26b", room: nil)
        #expect(url.host == "::1")
        #expect(url.port == 8080)
        #expect(url.hostHeader == "[::1]:8080")
        #expect(url.requestTarget == "/play?room=a%26b")
        #expect(url.queryValue("room") == "a&b")
        #expect(!url.isSecure)

        let secure = try WebSocketURL.gameSocket(forServerAddress: "https://h", room: nil)
        #expect(secure.isSecure)
        #expect(secure.port == 443)
        #expect(secure.hostHeader == "h")

        let plain = try WebSocketURL.gameSocket(forServerAddress: "h", room: nil)
        #expect(plain.port == 80)
        #expect(plain.hostHeader == "h")
    }

    @Test("bad addresses are refused with the reason", arguments: [
        ("", WebSocketClientError.invalidAddress),
        ("http://:8080", .invalidAddress),
        ("http://host:99999", .invalidAddress),
        ("http://host:0", .invalidAddress),
        ("http://host:80a", .invalidAddress),
        ("http://host:", .invalidAddress),
        ("http://user@host:80", .invalidAddress),
        ("http://[::1", .invalidAddress),
        ("http://ho st:80", .invalidAddress),
        ("ftp://host", .unsupportedScheme),
        ("1http://host", .invalidAddress),
        ("host/x://y", .invalidAddress),
        ("http://h%41st:80", .invalidAddress),
        ("http://[]:80", .invalidAddress),
    ])
    func invalid(address: String, expected: WebSocketClientError) {
        #expect(throws: expected) {
            try WebSocketURL.gameSocket(forServerAddress: address)
        }
    }

    @Test("WebSocketURL itself takes only ws and wss")
    func strictParser() throws {
        #expect(throws: WebSocketClientError.unsupportedScheme) { try WebSocketURL("http://h:1/play") }
        #expect(throws: WebSocketClientError.invalidAddress) { try WebSocketURL("h:1/play") }
        let url = try WebSocketURL("ws://h:1")
        #expect(url.path == "/")
        #expect(url.description == "ws://h:1/")
    }

    @Test("query values are decoded like a browser's form: %XX and + for a space")
    func queryDecoding() throws {
        let url = try WebSocketURL("ws://h:1/play?room=a+b%20c&empty&%72oom=second&x=%C3%A9")
        #expect(url.queryValue("room") == "a b c")
        #expect(url.queryValue("empty") == "")
        #expect(url.queryValue("x") == "é")
        #expect(url.queryValue("missing") == nil)
        let moved = try WebSocketURL.gameSocket(forServerAddress: url.description, room: "é&=")
        #expect(moved.requestTarget == "/play?empty&x=%C3%A9&room=%C3%A9%26%3D")
        #expect(moved.queryValue("room") == "é&=")
    }

    @Test("a query with a malformed escape is taken as written (URLComponents re-encodes its %)")
    func malformedQuery() throws {
        let url = try WebSocketURL("ws://h:1/play?bad=%zz&room=a%20b")
        #expect(url.requestTarget == "/play?bad=%25zz&room=a%2520b")
        #expect(url.queryValue("bad") == "%zz")
        #expect(url.queryValue("room") == "a%20b")
    }
}
