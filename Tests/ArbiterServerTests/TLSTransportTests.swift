import ArbiterServer
import Foundation
import Logging
import NIOCore
import NIOSSL
import TLSTestSupport
import Testing

/// The game port with `--tls-cert`/`--tls-key`: everything (HTTP, the WebSocket upgrade) behind
/// TLS, with the same timeouts and connection limits as in the clear, and files that cannot be
/// used refused at start with a line that names them. Certificates are made at test time.
@Suite(.timeLimit(.minutes(1)))
struct TLSTransportTests {
    let certificate: TestCertificate
    let files: TestCertificate.Files
    /// Trusts only the test authority; RawSocketClient checks the name against 127.0.0.1.
    let client: NIOSSLContext

    init() throws {
        self.certificate = try TestCertificate()
        self.files = try self.certificate.write()
        self.client = try NIOSSLContext(configuration: try self.certificate.clientConfiguration())
    }

    func server(_ configure: @escaping (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        try await TestServer.start { configuration in
            configuration.tlsCertificateFile = self.files.certificate
            configuration.tlsKeyFile = self.files.key
            configuration.handshakeTimeout = .seconds(1)
            configuration.requestTimeout = .seconds(1)
            configure(&configuration)
        }
    }

    @Test func httpAndTheGameSocketAreServedOverTLSOnTheOnePort() async throws {
        let server = try await self.server()
        defer { Task { try await server.running.shutdown() } }
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz", tls: self.client).status == 200)
        let rooms = try await RawSocketClient.get(port: server.port, path: "/rooms", tls: self.client)
        #expect(rooms.status == 200)
        #expect(try JSONDecoder().decode([RoomSummary].self, from: Data(rooms.body.utf8)).map(\.id) == [1])
        let echo = try await RawSocketClient.webSocket(port: server.port, path: "/echo", tls: self.client)
        try await echo.sendFrame(opcode: 0x2, payload: Array(repeating: 9, count: 300))
        #expect(try await echo.nextMessage().payload == Array(repeating: 9, count: 300))
        await echo.close()
        files.remove()
    }

    @Test func plainHTTPToTheTLSPortGetsA400ThatSaysHTTPS() async throws {
        let server = try await self.server()
        defer { Task { try await server.running.shutdown() } }
        let start = ContinuousClock.now
        let answer = try await RawSocketClient.get(port: server.port, path: "/rooms")
        #expect(answer.status == 400)
        #expect(answer.body.contains("https://"), "\(answer.body)")
        #expect(ContinuousClock.now - start < .seconds(1), "answered at once, not at a timeout")
        #expect(server.metric(#"arbiter_http_rejected_total{status="400",kind="plain_http_on_tls"}"#) == 1)
        // The port still speaks TLS to the next client.
        #expect(try await RawSocketClient.get(port: server.port, path: "/healthz", tls: self.client).status == 200)
        files.remove()
    }

    @Test(arguments: [false, true])
    func aStalledTLSHandshakeIsClosedAtTheHandshakeTimeout(partialHello: Bool) async throws {
        let server = try await self.server()
        defer { Task { try await server.running.shutdown() } }
        let start = ContinuousClock.now
        let attacker = try await RawSocketClient.connect(port: server.port)
        if partialHello {
            // The head of a ClientHello record announcing 512 bytes, then nothing.
            try await attacker.send(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00])
        }
        try await attacker.waitUntilClosed(timeout: .seconds(5))
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "closed after \(elapsed)")
        #expect(server.metric(#"arbiter_connection_timeouts_total{state="first_byte"}"#) == 1)
        files.remove()
    }

    @Test func stalledHandshakesCountAgainstTheLimitsAndGiveWayToRealClients() async throws {
        let server = try await self.server { configuration in
            configuration.maxConnections = 12
            configuration.maxConnectionsPerAddress = 8
            configuration.transport.limitsLoopbackPerAddress = true
            configuration.handshakeTimeout = .seconds(20)
            configuration.requestTimeout = .seconds(20)
        }
        defer { Task { try await server.running.shutdown() } }
        let player = try await RawSocketClient.webSocket(port: server.port, path: "/echo", tls: self.client)
        var flood: [RawSocketClient] = []
        for _ in 0..<20 {
            let attacker = try await RawSocketClient.connect(port: server.port)
            try await attacker.send(bytes: [0x16, 0x03, 0x01])
            flood.append(attacker)
        }
        // Connections stuck in the handshake are idle ones: they make room for HTTPS requests.
        for _ in 0..<3 {
            #expect(try await RawSocketClient.get(port: server.port, path: "/healthz", tls: self.client).status == 200)
        }
        let evicted = server.metric(#"arbiter_connections_refused_total{reason="evicted_idle"}"#) ?? 0
        #expect(evicted >= 12, "evicted \(evicted)")
        try await player.sendFrame(opcode: 0x2, payload: [4, 2])
        #expect(try await player.nextMessage().payload == [4, 2])
        for attacker in flood { await attacker.close() }
        await player.close()
        files.remove()
    }

    @Test func unusableTLSSettingsAreRefusedWithALineThatNamesThem() async throws {
        defer { files.remove() }
        let other = try TestCertificate().write()
        defer { other.remove() }
        let notACertificate = self.files.directory + "/notes.txt"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: notACertificate))

        var configuration = ServerConfiguration()
        configuration.tlsCertificateFile = self.files.certificate
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do { try configuration.validate() } catch { #expect(error.description.contains("--tls-key")) }

        let cases: [(certificate: String, key: String, mentions: String)] = [
            (self.files.directory + "/missing.pem", self.files.key, "no such file"),
            (notACertificate, self.files.key, "no PEM certificate"),
            (self.files.certificate, notACertificate, "not a PEM private key"),
            (self.files.certificate, other.key, "does not match"),
        ]
        for (certificateFile, keyFile, mentions) in cases {
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.webRoot = .disabled
            configuration.tlsCertificateFile = certificateFile
            configuration.tlsKeyFile = keyFile
            try configuration.validate()
            var logger = Logger(label: "tls-test")
            logger.logLevel = .critical
            let server = GameServer(configuration: configuration, play: nil, logger: logger)
            let error = await #expect(throws: ConfigurationError.self) { _ = try await server.start() }
            #expect(error?.description.contains(mentions) == true, "\(String(describing: error)) should mention \(mentions)")
            #expect(error?.description.contains("--tls-") == true)
        }
    }
}
