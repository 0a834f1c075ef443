import ArgumentParser
import Foundation
import SchemaCompiler

/// `arbiter-protocolgen`: regenerates every codec listed in `GeneratedFiles` from its schema,
/// or with `--check` writes nothing and fails if any committed file is stale.
@main
struct ProtocolGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-protocolgen",
        abstract: "Generates the Swift and JavaScript codecs from Protocol/arena.schema.",
        discussion: """
            Run from anywhere: the package root is found from this tool's source location.
            Exit status: 0 done (or up to date with --check), 1 stale generated files (--check), \
            2 a schema error or an I/O error.
            """
    )

    @Flag(help: "Write nothing; exit 1 if any generated file differs from a fresh generation (for CI).")
    var check = false

    func run() throws {
        let root = GeneratedFiles.packageRoot
        var stale: [String] = []
        do {
            for file in try GeneratedFiles.render(root: root) {
                let url = root.appendingPathComponent(file.path)
                let existing = try? String(contentsOf: url, encoding: .utf8)
                guard existing != file.contents else { continue }
                if self.check {
                    stale.append(file.path)
                } else {
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try file.contents.write(to: url, atomically: true, encoding: .utf8)
                    print("wrote \(file.path)")
                }
            }
        } catch let error as SchemaError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("arbiter-protocolgen: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if !stale.isEmpty {
            print("stale generated files (run `swift run arbiter-protocolgen`):\n" + stale.map { "  " + $0 }.joined(separator: "\n"))
            throw ExitCode(1)
        }
        if self.check { print("generated files are up to date") }
    }
}
