import Foundation
import SchemaCompiler

// Regenerates every codec listed in GeneratedFiles from its schema.
// `--check` writes nothing and exits 1 if any generated file differs from a fresh generation.
let check = CommandLine.arguments.contains("--check")
let root = GeneratedFiles.packageRoot
do {
    var stale: [String] = []
    for file in try GeneratedFiles.render(root: root) {
        let url = root.appendingPathComponent(file.path)
        let existing = try? String(contentsOf: url, encoding: .utf8)
        guard existing != file.contents else { continue }
        if check {
            stale.append(file.path)
        } else {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
            print("wrote \(file.path)")
        }
    }
    if !stale.isEmpty {
        print("stale generated files (run `swift run arbiter-protocolgen`):\n" + stale.map { "  " + $0 }.joined(separator: "\n"))
        exit(1)
    }
} catch let error as SchemaError {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("arbiter-protocolgen: \(error)\n".utf8))
    exit(2)
}
