import ArbiterClient
import ArbiterServer
import ArenaTestSupport
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import TLSTestSupport
import Testing

/// Arena with `--tls-cert`/`--tls-key`: the browser client and the HTTP routes over HTTPS and a
/// match over WSS, each client verifying the server against the authority made at test time
/// (with the name check on: `localhost` by name, 127.0.0.1 by address).
@Suite(.timeLimit(.minutes(1)))
struct TLSPlayTests {
    static func server(_ files: TestCertificate.Files) async throws -> LiveArenaServer {
        try await LiveArenaServer.start {
            $0.tlsCertificateFile = files.certificate
            $0.tlsKeyFile = files.key
            $0.webRoot = .folder(ReleaseBundleTests.sourceClient.path)
        }
    }

    @Test func theBrowserClientAndRoutesAreServedOverVerifiedHTTPS() async throws {
        let certificate = try TestCertificate()
        let files = try certificate.write()
        defer { files.remove() }
        let server = try await Self.server(files)
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(tlsConfiguration: try certificate.clientConfiguration())
        )
        let index = try String(contentsOf: ReleaseBundleTests.sourceClient.appendingPathComponent("index.html"), encoding: .utf8)
        for host in ["localhost", "127.0.0.1"] {
            let page = try await http.get(url: "https://\(host):\(server.port)/").get()
            #expect(page.status == .ok)
            #expect(page.body.map { String(buffer: $0) } == index, "the browser client's page over https://\(host)")
            let script = try await http.get(url: "https://\(host):\(server.port)/src/main.js").get()
            #expect(script.status == .ok)
            let rooms = try await http.get(url: "https://\(host):\(server.port)/rooms").get()
            #expect(rooms.status == .ok)
            let list = try JSONDecoder().decode([RoomSummary].self, from: Data(buffer: try #require(rooms.body)))
            #expect(list.map(\.id) == [1])
            #expect(try await http.get(url: "https://\(host):\(server.port)/metrics").get().status == .ok)
        }
        // A client with the system's trust roots only refuses the test authority. (It retries a
        // failed connection until its connect timeout, so that is kept short.)
        var systemRoots = HTTPClient.Configuration()
        systemRoots.timeout.connect = .seconds(1)
        let strict = HTTPClient(eventLoopGroupProvider: .singleton, configuration: systemRoots)
        await #expect(throws: (any Error).self) { _ = try await strict.get(url: "https://localhost:\(server.port)/").get() }
        try await strict.shutdown()
        try await http.shutdown()
        try await server.stop()
    }

    @Test func aMatchIsPlayedOverVerifiedWSS() async throws {
        let certificate = try TestCertificate()
        let files = try certificate.write()
        defer { files.remove() }
        let server = try await Self.server(files)
        var configuration = WebSocketClientConfiguration()
        configuration.tls = try .verifying(caFile: files.authority)
        // What a person types: the https page address; the game socket is found from it.
        let url = try WebSocketURL.gameSocket(forServerAddress: "https://localhost:\(server.port)/")
        #expect(url.description == "wss://localhost:\(server.port)/play")
        let player = try await ArenaTestClient(url: url, configuration: configuration)
        let welcome = try await player.join(name: "secure")
        #expect(welcome.playerId > 0)
        let first = try await player.snapshot { _ in true }.tick
        let later = try await player.snapshot(moveX: 1) { $0.tick >= first + 20 }
        #expect(later.tick >= first + 20)
        try await waitFor { server.players == 1 }
        let info = try await player.socket.close()
        #expect(info.error == nil, "a clean close over TLS: \(String(describing: info.error))")
        // One still playing when the server stops gets its 1001 through TLS, then a clean end.
        let staying = try await ArenaTestClient(url: url, configuration: configuration)
        _ = try await staying.join(name: "stays")
        _ = try await staying.skip(2)
        try await server.stop()
        let end = try await staying.socket.closed()
        #expect(end.receivedCode == .goingAway, "\(end)")
        #expect(end.error == nil, "no TLS error at the server's close: \(String(describing: end.error))")
    }

    @Test func theServerBinaryServesHTTPSAndRefusesHalfASetting() async throws {
        let certificate = try TestCertificate()
        let files = try certificate.write()
        defer { files.remove() }
        let process = try ServerProcess(
            executable: try ReleaseBundleTests.builtServer,
            arguments: ["--port", "0", "--tls-cert", files.certificate, "--tls-key", files.key, "--fill-bots", "0"])
        defer { process.kill() }
        let port = try await process.port()
        #expect(process.standardOutput.contains("open https://127.0.0.1:\(port)/"), "\(process.standardOutput)")
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: try certificate.clientConfiguration()))
        #expect(try await http.get(url: "https://localhost:\(port)/readyz").get().status == .ok)
        try await http.shutdown()
        #expect(try await process.terminate() == 0)

        let half = try ServerProcess(executable: try ReleaseBundleTests.builtServer, arguments: ["--port", "0", "--tls-cert", files.certificate])
        defer { half.kill() }
        #expect(try await half.exitCode() != 0)
        #expect(half.standardError.contains("--tls-cert and --tls-key go together"), "\(half.standardError)")
    }

    @Test func arbiterBotPlaysOverWSSAndVerifiesUnlessToldNotTo() async throws {
        let certificate = try TestCertificate()
        let files = try certificate.write()
        defer { files.remove() }
        let server = try await LiveArenaServer.start {
            $0.tlsCertificateFile = files.certificate
            $0.tlsKeyFile = files.key
            $0.resumeGrace = .zero
        }
        let bot = try ReleaseBundleTests.builtServer.deletingLastPathComponent().appendingPathComponent("arbiter-bot")
        let address = "https://localhost:\(server.port)/"
        for (name, flags) in [("trusting", ["--ca-file", files.authority]), ("insecure", ["--insecure"])] {
            let run = try ServerProcess(executable: bot, arguments: ["--server", address, "--duration", "2", "--json", "--name", name] + flags)
            defer { run.kill() }
            #expect(try await run.exitCode() == 0, "\(name): \(run.standardError)")
            let summary = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
            #expect(summary?["connected"] as? Int == 1, "\(name): \(run.standardOutput)")
            #expect((summary?["snapshots"] as? Int ?? 0) > 30, "\(name): \(run.standardOutput)")
        }
        // Without either, the test authority is not trusted: exit 1, fast, saying why.
        let start = ContinuousClock.now
        let refused = try ServerProcess(executable: bot, arguments: ["--server", address, "--name", "refused"])
        defer { refused.kill() }
        #expect(try await refused.exitCode() == 1)
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(refused.standardError.contains("not signed by an authority this client trusts"), "\(refused.standardError)")
        try await server.stop()
    }

    @Test func deployWithATLSSecretPointsTheServerAtTheMountedFiles() async throws {
        let deploy = try ServerProcess(
            executable: try ReleaseBundleTests.builtServer,
            arguments: ["deploy", "service", "--image", "registry.example/arbiter:1", "--port", "7777", "--tls-secret", "arbiter-tls"])
        defer { deploy.kill() }
        #expect(try await deploy.exitCode() == 0, "\(deploy.standardError)")
        let yaml = deploy.standardOutput
        for line in [
            #"- name: "ARBITER_TLS_CERT""#, #"value: "/etc/arbiter/tls/tls.crt""#, #"value: "/etc/arbiter/tls/tls.key""#,
            #"secretName: "arbiter-tls""#, #"mountPath: "/etc/arbiter/tls""#, #"scheme: "HTTPS""#,
        ] {
            #expect(yaml.contains(line), "missing \(line) in\n\(yaml)")
        }
    }
}
