@testable import SchemaCompiler
import Testing

@Suite struct SchemaParserTests {
    static let minimal = """
        protocol demo 1
        # a comment
        type Pos = fixed(0, 10, 0.5)
        enum E {
          a = 0
          b = 3
        }
        struct S {
          p: Pos
          e: E
          list: S2[4]
        }
        struct S2 {
          on: bool
        }
        entity Ent {
          x: Pos
        }
        union U = Ent
        delta message M = 1 server->client {
          tick: u32 diff
          s: S?
          things: set<U>(8)
        }
        """

    @Test func parsesEveryDeclarationKind() throws {
        let schema = try SchemaParser.parse(Self.minimal, file: "demo.schema")
        #expect(schema.name == "demo" && schema.version == 1)
        #expect(schema.declarations.count == 7)
        #expect(schema.enumBits("E") == 2)
        let m = try #require(schema.messages.first)
        #expect(m.isDelta && m.id == 1 && m.direction == .client)
        #expect(m.fields[0].diff)
        // The alias is resolved into the field that uses it.
        guard case .structure(_, let fields)? = schema.declaration(named: "S") else { Issue.record("S missing"); return }
        #expect(fields[0].type == .fixed(min: 0, max: 10, step: 0.5, steps: 20))
    }

    /// Comments, blank lines and spacing, and the spelling of numbers, do not change the hash;
    /// any change to the wire does.
    @Test func hashIgnoresCommentsAndSpacingButNotTheWire() throws {
        let a = try SchemaParser.parse(Self.minimal, file: "a")
        let respaced = Self.minimal
            .replacingOccurrences(of: "# a comment", with: "\n\n   # another comment\n")
            .replacingOccurrences(of: "fixed(0, 10, 0.5)", with: "fixed( 0.0 ,10.00,   0.50 )  # trailing comment")
        let b = try SchemaParser.parse(respaced, file: "b")
        #expect(a.hashHex == b.hashHex)
        let changed = try SchemaParser.parse(Self.minimal.replacingOccurrences(of: "b = 3", with: "b = 4"), file: "c")
        #expect(a.hashHex != changed.hashHex)
        #expect(a.hash.count == 32)
    }

    @Test(arguments: [
        ("protocol demo 1\nstruct S {\n  x: u65\n}\n", 3, 6, "integer widths are 1...64 bits"),
        ("protocol demo 1\nstruct S {\n  x: Missing\n}\n", 3, 6, "unknown type 'Missing'"),
        ("protocol demo 1\nstruct S {\n  x: u8\n  x: u8\n}\n", 4, 3, "duplicate field 'x'"),
        ("protocol demo 1\nmessage A = 1 both {\n}\nmessage B = 1 both {\n}\n", 4, 9, "message id 1 is already used by 'A'"),
        ("protocol demo 1\nstruct S {\n  x: int(5..1)\n}\n", 3, 10, "int(min..max) needs min <= max"),
        ("protocol demo 1\nstruct S {\n  x: fixed(0, 1, 0.3)\n}\n", 3, 18, "whole number of steps"),
        ("protocol demo 1\nstruct S {\n  x: u8 diff\n}\n", 3, 9, "'diff' is only allowed on fields of a delta message"),
        ("protocol demo 1\nstruct S {\n  me: S\n}\n", 3, 3, "'S' contains itself"),
        ("protocol demo 1\nenum E {\n  a = 0\n  b = 0\n}\n", 4, 7, "enum value 0 is already used by 'a'"),
        ("protocol demo 1\nstruct S {\n  x: string(8\n}\n", 3, 14, "expected ')'"),
        ("protocol demo 1\nthing S\n", 2, 1, "unknown declaration 'thing'"),
        ("protocol demo 1\nstruct S {\n  x: u8 $\n}\n", 3, 9, "unexpected character '$'"),
    ])
    func reportsErrorsAtFileLineColumn(source: String, line: Int, column: Int, message: String) {
        do {
            _ = try SchemaParser.parse(source, file: "bad.schema")
            Issue.record("accepted a wrong schema: \(message)")
        } catch {
            #expect(error.location.file == "bad.schema")
            #expect(error.location.line == line, "\(error)")
            #expect(error.location.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("bad.schema:\(line):\(column): "))
        }
    }
}

@Suite struct SchemaHashTests {
    /// FIPS 180-4 test vectors, plus a message that needs a second padding block.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardVectors(input: String, expected: String) throws {
        #expect(SHA256.hash(Array(input.utf8)).hexString == expected)
    }
}
