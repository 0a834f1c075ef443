import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket
import TLSTestSupport
import Testing

@testable import ArbiterClient

/// `wss://` against the in-process test server behind TLS, with a certificate authority made at
/// test time: verification is on unless asked off, and checks both the authority and the name.
@Suite("WebSocket client over TLS (wss://)", .timeLimit(.minutes(1)))
struct WebSocketTLSTests {
    let group = MultiThreadedEventLoopGroup.singleton

    static func server(_ certificate: TestCertificate) async throws -> TestWebSocketServer {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificate.chainPEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificate.keyPEM.utf8), format: .pem))
        )
        return try await TestWebSocketServer.start(tls: try NIOSSLContext(configuration: configuration))
    }

    @Test("wss:// with the server's authority trusted (--ca-file): messages round-trip, close handshake completes")
    func verifiedRoundTrip() async throws {
        let certificate = try TestCertificate()
        let files = try certificate.write()
        defer { files.remove() }
        let server = try await Self.server(certificate)
        var configuration = WebSocketClientConfiguration()
        configuration.tls = try .verifying(caFile: files.authority)
        #expect(configuration.tls?.verifiesServer == true)
        let url = try server.url("/echo")
        #expect(url.isSecure)
        let client = try await AsyncWebSocketConnection.connect(to: url, configuration: configuration, group: self.group)
        var replies = client.messages.makeAsyncIterator()
        for size in [0, 13, 126, 65536, 200_000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ size) }
            client.send(bytes)
            let reply = try #require(await replies.next())
            #expect(Array(reply.readableBytesView) == bytes, "echo of \(size) bytes over TLS")
        }
        let info = try await client.close(code: .normalClosure, reason: "done")
        #expect(info.error == nil, "a clean close over TLS: \(String(describing: info.error))")
        #expect(info.receivedCode == .normalClosure)
        try await server.stop()
    }

    @Test("verification is on by default: a certificate from an unknown authority fails with .tlsFailed")
    func untrustedAuthorityRefused() async throws {
        let server = try await Self.server(try TestCertificate())
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: server.url("/echo"), group: self.group)
        }
        #expect(error == .tlsFailed)
        #expect(error?.description.contains("not signed by an authority this client trusts") == true, "\(String(describing: error))")
        try await server.stop()
    }

    @Test("a trusted authority's certificate for another name fails the name check")
    func wrongNameRefused() async throws {
        let certificate = try TestCertificate(hostnames: ["game.example"], addresses: [])
        let files = try certificate.write()
        defer { files.remove() }
        let server = try await Self.server(certificate)
        var configuration = WebSocketClientConfiguration()
        configuration.tls = try .verifying(caFile: files.authority)
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: server.url("/echo"), configuration: configuration, group: self.group)
        }
        #expect(error == .tlsFailed)
        #expect(error?.description.contains("not for 127.0.0.1") == true, "\(String(describing: error))")
        try await server.stop()
    }

    @Test("insecure() connects to a self-signed server without checking it, and says it does not verify")
    func insecureConnects() async throws {
        let server = try await Self.server(try TestCertificate())
        var configuration = WebSocketClientConfiguration()
        configuration.tls = try .insecure()
        #expect(configuration.tls?.verifiesServer == false)
        let client = try await AsyncWebSocketConnection.connect(to: server.url("/echo"), configuration: configuration, group: self.group)
        var replies = client.messages.makeAsyncIterator()
        client.send([1, 2, 3])
        let reply = try #require(await replies.next())
        #expect(Array(reply.readableBytesView) == [1, 2, 3])
        _ = try await client.close()
        try await server.stop()
    }

    @Test("wss:// to a plain ws:// server fails as a TLS error, not a hang")
    func plainServerRefused() async throws {
        let server = try await TestWebSocketServer.start()
        var configuration = WebSocketClientConfiguration()
        configuration.tls = try .insecure()
        configuration.connectTimeout = .seconds(5)
        let url = try WebSocketURL("wss://127.0.0.1:\(server.port)/echo")
        let error = await #expect(throws: WebSocketClientError.self) {
            try await AsyncWebSocketConnection.connect(to: url, configuration: configuration, group: self.group)
        }
        #expect(error == .tlsFailed || error == .closedDuringHandshake, "\(String(describing: error))")
        try await server.stop()
    }

    @Test("a --ca-file that is missing or holds no certificate is a clear error")
    func badAuthorityFile() throws {
        #expect(throws: WebSocketClientError.tlsFailed) { try WebSocketTLS.verifying(caFile: "/nonexistent/ca.pem") }
    }
}
