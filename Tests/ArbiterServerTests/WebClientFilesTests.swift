import ArbiterServer
import Foundation
import Testing

/// The web root is the browser client's folder, which also holds its tests and README: only
/// the page, its stylesheet and its modules are served.
@Suite(.timeLimit(.minutes(1)))
struct WebClientFilesTests {
    @Test func servesTheClientAndNothingElseFromItsFolder() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-web-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in [
            "index.html": "<!doctype html>page", "style.css": "body{}", "src/net/session.js": "export {}",
            "README.md": "private", "test/session.test.js": "private", "src/notes.txt": "private",
        ] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let server = try await TestServer.start { $0.webRoot = .folder(root.path) }
        defer { Task { try await server.running.shutdown() } }

        for path in ["/", "/index.html", "/style.css", "/src/net/session.js"] {
            let response = try await RawSocketClient.get(port: server.port, path: path)
            #expect(response.status == 200, "\(path)")
            #expect(!response.body.contains("private"), "\(path)")
        }
        for path in ["/README.md", "/test/session.test.js", "/src/notes.txt", "/test/", "/src/"] {
            let response = try await RawSocketClient.get(port: server.port, path: path)
            #expect(response.status == 404, "\(path) should not be served")
            #expect(!response.body.contains("private"), "\(path)")
        }
    }
}
