import Foundation
import Testing

@testable import SchemaCompiler

/// Protocol/README.md §9.1 promises a worked example of the canonical form and its hash, byte for
/// byte. These tests read the example from the README itself (the fenced blocks after the
/// `<!-- canonical-example:… -->` markers), so the text a stranger implements from and the
/// compiler cannot drift apart.
@Suite struct CanonicalFormSpecTests {
    static let readme = GeneratedFiles.packageRoot.appendingPathComponent("Protocol/README.md")

    /// The body of the first fenced block after `<!-- MARKER -->`, with its final newline.
    static func fencedBlock(after marker: String, in text: String) throws -> String {
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "<!-- \(marker) -->"), "README has no \(marker) marker")
        let open = try #require(lines[start...].firstIndex { $0.hasPrefix("```") })
        let close = try #require(lines[(open + 1)...].firstIndex { $0.hasPrefix("```") })
        return lines[(open + 1)..<close].map { $0 + "\n" }.joined()
    }

    @Test func theWorkedExampleIsWhatTheCompilerProduces() throws {
        let readme = try String(contentsOf: Self.readme, encoding: .utf8)
        let source = try Self.fencedBlock(after: "canonical-example:schema", in: readme)
        let canonical = try Self.fencedBlock(after: "canonical-example:canonical", in: readme)
        let hash = try Self.fencedBlock(after: "canonical-example:hash", in: readme)
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let schema = try SchemaParser.parse(source, file: "README example")
        #expect(schema.canonicalForm == canonical)
        #expect(schema.hashHex == hash)
        // The README states the length; keep that sentence true as well.
        #expect(readme.contains("has this canonical form, \(canonical.utf8.count) bytes"))
        #expect(readme.contains("the SHA-256 of those \(canonical.utf8.count) bytes"))
    }

    /// The hash is SHA-256 and nothing else: FIPS 180-4's known answers (one block, two blocks,
    /// empty), and a minimal schema against coreutils' `printf 'protocol x 1\n' | sha256sum`.
    @Test func theHashIsStandardSHA256() throws {
        #expect(SHA256.hash(Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hexString
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hash([]).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let minimal = try SchemaParser.parse("protocol x 1 # nothing else\n", file: "x")
        #expect(minimal.canonicalForm == "protocol x 1\n")
        #expect(minimal.hashHex == "5be301bafc53b8e3ad7fa5009b8bba3420da767a89c24bf5b078288dd6c741aa")
    }

    /// §9.1's rules for printing a `fixed`'s numbers, at their edges: plain from 10^-4 up to 2^53
    /// with a `.0` on whole numbers, exponent form (sign, two digits at least) outside.
    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "-0.0"), (-10, "-10.0"), (10.5, "10.5"), (0.25, "0.25"), (0.0001, "0.0001"),
        (0.00009999999999999999, "9.999999999999999e-05"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"),
        (8191.99609375, "8191.99609375"), (9007199254740992, "9007199254740992.0"),
        (9007199254740994, "9.007199254740994e+15"), (1e16, "1e+16"), (1e100, "1e+100"),
    ] as [(Double, String)])
    func fixedNumbersPrintAsTheSpecSays(value: Double, spelled: String) throws {
        let schema = try SchemaParser.parse("protocol x 1\nmessage M = 1 both {\n  v: fixed(0, 1, 0.5)\n}\n", file: "x")
        #expect(FieldType.fixed(min: value, max: 1, step: 0.5, steps: 1).canonical == "fixed(\(spelled), 1.0, 0.5)")
        #expect(schema.canonicalForm.contains("v: fixed(0.0, 1.0, 0.5)"))
    }

    /// §9 says the Hello vector carries the current Arena hash: it must be the hash of the
    /// canonical form of `arena.schema` as committed.
    @Test func theHelloVectorCarriesTheArenaSchemaHash() throws {
        let root = GeneratedFiles.packageRoot
        let text = try String(contentsOf: root.appendingPathComponent("Protocol/arena.schema"), encoding: .utf8)
        let schema = try SchemaParser.parse(text, file: "arena.schema")
        struct Hello: Decodable {
            struct Value: Decodable { var schemaHash: [UInt8] }
            var value: Value
        }
        let data = try Data(contentsOf: root.appendingPathComponent("Protocol/vectors/arena/hello.json"))
        #expect(try JSONDecoder().decode(Hello.self, from: data).value.schemaHash == schema.hash)
    }
}
