import LeanSocket
import Testing

@Suite("The raw-socket client's WebSocket upgrade")
struct LeanHandshakeTests {
    static func response(_ text: String) -> LeanHandshake.Response {
        Array(text.utf8).withUnsafeBytes { LeanHandshake.response($0) }
    }

    @Test("a 101 with the right accept value is upgraded; the frames after it are left alone")
    func upgraded() {
        let header = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept:  \(LeanHandshake.expectedAccept) \r\n\r\n"
        #expect(Self.response(header + "\u{82}\u{1}x") == .upgraded(headerBytes: header.utf8.count))
    }

    @Test("an incomplete header waits; a refusal, a wrong accept value or an endless header is refused")
    func refused() {
        #expect(Self.response("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: x") == .incomplete)
        #expect(Self.response("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") == .refused("HTTP/1.1 403 Forbidden"))
        #expect(Self.response("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: AAAA\r\n\r\n") == .refused("HTTP/1.1 101 Switching Protocols"))
        let endless = "HTTP/1.1 101 Switching Protocols\r\n" + String(repeating: "X-Pad: y\r\n", count: 1000)
        guard case .refused = Self.response(endless) else {
            Issue.record("a header over \(LeanHandshake.maxResponseHeader) bytes was not refused")
            return
        }
    }

    @Test("the request names the target and host and carries the fixed key")
    func request() {
        let text = String(decoding: LeanHandshake.request(target: "/play?room=a", host: "example.org:8080"), as: UTF8.self)
        #expect(text.hasPrefix("GET /play?room=a HTTP/1.1\r\nHost: example.org:8080\r\n"))
        #expect(text.contains("Sec-WebSocket-Key: \(LeanHandshake.key)\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }
}
