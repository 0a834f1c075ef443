import ArbiterProtocol
import Foundation
import SchemaCompiler
import Testing

let vectorsRoot = GeneratedFiles.packageRoot.appendingPathComponent("Protocol/vectors")

@Suite struct GoldenVectorTests {
    /// The committed vectors are exactly what the cases render to. Set ARBITER_UPDATE_VECTORS=1
    /// to rewrite them after a deliberate change.
    @Test func vectorFilesMatchTheirCases() throws {
        let update = ProcessInfo.processInfo.environment["ARBITER_UPDATE_VECTORS"] == "1"
        let cases = arenaCases() + conformanceCases()
        for c in cases {
            let url = vectorsRoot.appendingPathComponent(c.path)
            let rendered = try c.render()
            if update {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try rendered.write(to: url)
            }
            let onDisk = try Data(contentsOf: url)
            #expect(onDisk == rendered, "\(c.path) differs from its case: regenerate with ARBITER_UPDATE_VECTORS=1")
        }
        for dir in ["arena", "conformance"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: vectorsRoot.appendingPathComponent(dir).path)
            let expected = Set(cases.map(\.path).filter { $0.hasPrefix(dir + "/") }.map { String($0.dropFirst(dir.count + 1)) })
            #expect(Set(files) == expected, "stray or missing vector files in \(dir)")
        }
    }

    /// Every vector on disk decodes to its value, and its value (and input) encode to its bytes.
    @Test(arguments: ["arena", "conformance"])
    func everyVectorDecodesAndEncodesExactly(schema: String) throws {
        let dir = vectorsRoot.appendingPathComponent(schema)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 8)
        for name in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            let header = try JSONDecoder().decode(VectorHeader.self, from: data)
            let type = try #require(vectorMessages["\(header.schema)/\(header.message)"], "unknown message in \(name)")
            try check(type, data: data, name: name)
        }
    }

    private func check<M: VectorMessage>(_: M.Type, data: Data, name: String) throws {
        let file = try JSONDecoder().decode(VectorFile<M>.self, from: data)
        let bytes = unhex(file.hex)
        #expect(try M.decodeBytes(bytes, baseline: file.baseline) == file.value, "\(name): decode")
        #expect(try M.encodeBytes(file.value, baseline: file.baseline) == bytes, "\(name): encode value")
        if let input = file.input {
            #expect(try M.encodeBytes(input, baseline: file.baseline) == bytes, "\(name): encode input")
        }
    }

    @Test func everySchemaMessageHasAVectorType() throws {
        for target in GeneratedFiles.targets {
            let text = try String(contentsOf: GeneratedFiles.packageRoot.appendingPathComponent(target.schema), encoding: .utf8)
            let schema = try SchemaParser.parse(text, file: target.schema)
            for message in schema.messages {
                #expect(vectorMessages["\(schema.name)/\(message.name)"] != nil, "\(message.name) has no vector type")
            }
        }
    }

    @Test func idleSnapshotIsAtMostFourBytes() throws {
        var next = sampleSnapshot
        next.tick += 2
        next.ackSeq += 1
        let bytes = try Snapshot.encodeBytes(next, baseline: sampleSnapshot)
        #expect(bytes.count <= 4, "idle delta is \(bytes.count) bytes")
    }
}

struct VectorHeader: Decodable {
    var schema: String
    var message: String
}
