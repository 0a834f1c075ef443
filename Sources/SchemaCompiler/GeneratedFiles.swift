import Foundation

/// Every file the generator writes, from which schema: the one list both `arbiter-protocolgen`
/// and the staleness test read, so nothing generated can be forgotten or go stale.
public struct GeneratedFiles {
    public struct Target: Sendable {
        public var schema: String
        public var swift: String
        public var swiftImportsRuntime: Bool
        public var javaScript: String
        /// The JavaScript runtime's folder (Clients/web/src/protocol), relative to the emitted module.
        public var javaScriptRuntime: String
    }

    public static let targets: [Target] = [
        Target(
            schema: "Protocol/arena.schema",
            swift: "Sources/ArbiterProtocol/Generated/ArenaProtocol.swift", swiftImportsRuntime: false,
            javaScript: "Clients/web/src/protocol/arena.js", javaScriptRuntime: "."
        ),
        // Exercises every construct of the language; used by the codec tests and vectors only.
        Target(
            schema: "Protocol/conformance.schema",
            swift: "Tests/ArbiterProtocolTests/Generated/ConformanceProtocol.swift", swiftImportsRuntime: true,
            javaScript: "Clients/web/test/generated/conformance.js", javaScriptRuntime: "../../src/protocol"
        ),
    ]

    /// The package root, found from this source file so tests and the tool work from any directory.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Renders every target: (path relative to the package root, contents).
    public static func render(root: URL = packageRoot) throws -> [(path: String, contents: String)] {
        var files: [(String, String)] = []
        for target in targets {
            let text = try String(contentsOf: root.appendingPathComponent(target.schema), encoding: .utf8)
            let schema = try SchemaParser.parse(text, file: target.schema)
            files.append((target.swift, SwiftEmitter(schema: schema, sourcePath: target.schema, importsRuntime: target.swiftImportsRuntime).emit()))
            files.append((target.javaScript, JavaScriptEmitter(schema: schema, sourcePath: target.schema, runtime: target.javaScriptRuntime).emit()))
        }
        return files
    }
}
