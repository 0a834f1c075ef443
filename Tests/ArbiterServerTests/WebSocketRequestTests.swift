import Testing

@testable import ArbiterServer

@Suite("the upgrade request's path and query")
struct WebSocketRequestTests {
    @Test("query items are split in order and decoded like a form: %XX and + for a space")
    func query() {
        let request = WebSocketRequest(uri: "/play?room=a%20b+c&x&%72oom=second&bad=1%zz&e=%C3%A9", remote: "r")
        #expect(request.path == "/play")
        #expect(request.query.map(\.name) == ["room", "x", "room", "bad", "e"])
        #expect(request.query.map(\.value) == ["a b c", "", "second", "1%zz", "é"])
        #expect(request.queryValue("room") == "a b c")
        #expect(request.queryValue("missing") == nil)
    }

    @Test("no query, or an empty one")
    func noQuery() {
        #expect(WebSocketRequest(uri: "/echo", remote: "r").query.isEmpty)
        let empty = WebSocketRequest(uri: "/echo?", remote: "r")
        #expect(empty.path == "/echo" && empty.query.isEmpty)
    }
}
