import ArbiterServer
import ArenaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOConcurrencyHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `arbiter-server`, laid out as a release bundle (the executable with `arbiter-web/`
/// beside it) and started from an unrelated directory with an empty environment, serves the
/// browser client and takes a player. Uses the binary this test run was built with.
@Suite(.timeLimit(.minutes(1)))
struct ReleaseBundleTests {
    /// `arbiter-server` beside the test bundle in `.build/<triple>/debug`.
    static var builtServer: URL {
        get throws {
            let folder = try #require(Bundle.main.executableURL).resolvingSymlinksInPath().deletingLastPathComponent()
            let binary = folder.appendingPathComponent("arbiter-server")
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw TestFailure("no arbiter-server in \(folder.path): run swift build first")
            }
            return binary
        }
    }

    static let sourceClient = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Clients/web")

    /// A bundle folder: the binary and the client's public files, as the Dockerfile lays them out.
    static func makeBundle() throws -> URL {
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-bundle-\(UUID().uuidString)")
        let web = bundle.appendingPathComponent(WebRoot.bundledFolderName)
        try FileManager.default.createDirectory(at: web, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try builtServer, to: bundle.appendingPathComponent("arbiter-server"))
        for item in ["index.html", "style.css", "src"] {
            try FileManager.default.copyItem(at: sourceClient.appendingPathComponent(item), to: web.appendingPathComponent(item))
        }
        return bundle
    }

    @Test func theBundleRunsFromAnywhereWithAnEmptyEnvironment() async throws {
        let bundle = try Self.makeBundle()
        defer { try? FileManager.default.removeItem(at: bundle) }
        let server = try ServerProcess(
            executable: bundle.appendingPathComponent("arbiter-server"),
            arguments: ["--port", "0", "--log-format", "json", "--resume-grace", "0"])
        defer { server.kill() }
        let port = try await server.port()
        #expect(server.standardError.contains(#""web_root":"\#(bundle.path)/arbiter-web""#), "\(server.standardError)")

        let page = try await HTTPGet.get(port: port, path: "/")
        let index = try String(contentsOf: Self.sourceClient.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(page.status == 200 && page.body == index)
        #expect(try await HTTPGet.get(port: port, path: "/src/main.js").status == 200)

        let client = try await ArenaTestClient(port: port)
        let welcome = try await client.join(name: "bundled")
        #expect(welcome.playerId > 0)
        _ = try await client.socket.close()

        // SIGTERM drains (nobody is left) and exits 0.
        #expect(try await server.terminate() == 0)
        #expect(server.standardError.contains("arbiter-server stopped"))
    }

    @Test func aMissingClientStopsTheStartWithOneLine() async throws {
        let server = try ServerProcess(
            executable: try Self.builtServer, arguments: ["--port", "0", "--web-root", "/nonexistent/web"])
        defer { server.kill() }
        #expect(try await server.exitCode() != 0)
        #expect(server.standardError.contains("--web-root /nonexistent/web has no index.html"), "\(server.standardError)")
    }

    @Test func versionPrintsTheBuildVersion() async throws {
        let server = try ServerProcess(executable: try Self.builtServer, arguments: ["--version"])
        #expect(try await server.exitCode() == 0)
        #expect(server.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == BuildInfo.version)
    }
}

/// `arbiter-server` as a child process in /tmp with an empty environment (`env -i`) or only
/// `environment`, its output collected.
final class ServerProcess: Sendable {
    private let process: NIOLockedValueBox<Process>
    private let output = NIOLockedValueBox((out: "", err: ""))

    init(executable: URL, arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let output = self.output
        out.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLockedValue { $0.out += text }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLockedValue { $0.err += text }
        }
        try process.run()
        self.process = NIOLockedValueBox(process)
    }

    var standardOutput: String { self.output.withLockedValue { $0.out } }
    var standardError: String { self.output.withLockedValue { $0.err } }

    /// The port from "Arbiter is running: open http://127.0.0.1:PORT/" (or https://).
    func port() async throws -> Int {
        for _ in 0..<500 {
            if let range = self.standardOutput.range(of: "://127.0.0.1:") {
                let digits = self.standardOutput[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            guard self.process.withLockedValue({ $0.isRunning }) else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("arbiter-server did not start: \(self.standardOutput) \(self.standardError)")
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() async throws -> Int32 {
        self.process.withLockedValue { $0.terminate() }
        return try await self.exitCode()
    }

    func exitCode(timeout: Duration = .seconds(10)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while self.process.withLockedValue({ $0.isRunning }) {
            guard ContinuousClock.now < deadline else { throw TestFailure("arbiter-server still running after \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Let the readers take the last output.
        try await Task.sleep(for: .milliseconds(100))
        return self.process.withLockedValue { $0.terminationStatus }
    }

    func kill() {
        self.process.withLockedValue { process in
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        }
    }
}

/// One GET through Foundation's URLSession (status and body), enough for a test.
enum HTTPGet {
    static func get(port: Int, path: String) async throws -> (status: Int, body: String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        let status = try #require(response as? HTTPURLResponse).statusCode
        return (status, String(decoding: data, as: UTF8.self))
    }
}
