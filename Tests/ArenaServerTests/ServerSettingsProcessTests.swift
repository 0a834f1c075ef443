import ArbiterServer
import Foundation
import Testing

/// The built `arbiter-server` reads its settings from a flag, ARBITER_* variables and a YAML file
/// named by ARBITER_CONFIG, in that order, and stops with one line on a bad one.
@Suite(.timeLimit(.minutes(1)))
struct ServerSettingsProcessTests {
    @Test func theBinaryTakesFlagOverVariableOverFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("arbiter.yaml")
        try """
            logFormat: json
            map: expanse
            drainTimeout: 30
            roomIdleTimeout: 45
            """.write(to: file, atomically: true, encoding: .utf8)
        let server = try ServerProcess(
            executable: try ReleaseBundleTests.builtServer,
            arguments: ["--map", "duel", "--web-root", "none"],
            environment: ["ARBITER_CONFIG": file.path, "ARBITER_PORT": "0", "ARBITER_DRAIN_TIMEOUT": "2"])
        defer { server.kill() }
        _ = try await server.port()
        let startup = server.standardError
        #expect(startup.contains(#""map":"duel""#), "\(startup)")  // the flag over the file
        #expect(startup.contains(#""drain_timeout_s":"2""#))  // the variable over the file
        #expect(startup.contains(#""room_idle_timeout_s":"45""#))  // the file over the default
        #expect(startup.hasPrefix("{"))  // logFormat json, from the file
        // The settings line says where each came from.
        #expect(startup.contains("map=[string: duel] (--map)"))
        #expect(startup.contains("drainTimeout=[double: 2.0] (ARBITER_DRAIN_TIMEOUT)"))
        #expect(startup.contains("roomIdleTimeout=[double: 45.0] (\(file.path): roomIdleTimeout)"), "\(startup)")
        #expect(try await server.terminate() == 0)
    }

    /// `deploy` takes the server's settings from its flags and `--config`, and not from the shell's
    /// ARBITER_* variables, which would otherwise leak into the manifests.
    @Test func deployReadsFlagsAndTheFileButNotTheShell() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("arbiter.json")
        try #"{"port": 7777, "map": "expanse"}"#.write(to: file, atomically: true, encoding: .utf8)
        let deploy = try ServerProcess(
            executable: try ReleaseBundleTests.builtServer,
            arguments: ["deploy", "service", "--image", "registry.example/arbiter:1.0", "--config", file.path, "--drain-timeout", "120"],
            environment: ["ARBITER_PORT": "abc", "ARBITER_MAP": "duel"])
        defer { deploy.kill() }
        #expect(try await deploy.exitCode() == 0, "\(deploy.standardError)")
        let manifest = deploy.standardOutput
        #expect(manifest.contains("name: \"ARBITER_PORT\"\n            value: \"7777\""), "\(manifest)")
        #expect(manifest.contains("name: \"ARBITER_MAP\"\n            value: \"expanse\""))
        #expect(manifest.contains("name: \"ARBITER_DRAIN_TIMEOUT\"\n            value: \"120\""))
    }

    @Test func aBadVariableStopsTheStartWithOneLine() async throws {
        let server = try ServerProcess(
            executable: try ReleaseBundleTests.builtServer, arguments: ["--port", "0"], environment: ["ARBITER_PORT": "abc"])
        defer { server.kill() }
        #expect(try await server.exitCode() == 1)
        // The flag wins over the variable, but the variable is still read and must be right.
        #expect(server.standardError == "Error: ARBITER_PORT: 'abc' is not an integer\n", "\(server.standardError)")
    }
}
