@testable import SchemaCompiler
import Testing

/// Every kind of bound in a schema becomes a named constant in both generated languages, under
/// the names Protocol/README.md 3.1 documents, and types with integers or strings get
/// `saturating(...)`. (That a saturating value then encodes is tested on compiled generated code:
/// ArbiterProtocolTests' LimitsTests and Clients/web/test/limits.test.js.)
@Suite struct LimitsEmissionTests {
    static let source = """
        protocol demo 1
        type Label = string(12)
        type Heading = angle(10)
        type Tags = string(6)[3]
        type Count = u32
        entity Thing {
          health: int(-5..200)
          x: fixed(-8, 8, 0.5)
          aim: angle(8)
          flags: u3
          delta: i13
          wide: u33
          plain: u16
          name: string(15)
          nick: string(4)?
          token: bytes(16)
          tags: string(6)[3]
          levels: int(1..9)[2]?
        }
        union Stuff = Thing
        message M = 1 server->client {
          things: set<Stuff>(64)
          level: int(0..3)?
        }
        """

    static var schema: Schema { get throws { try SchemaParser.parse(source, file: "demo.schema") } }

    @Test func everyKindOfBoundHasANamedLimit() throws {
        guard case .entity(_, let fields)? = try Self.schema.declaration(named: "Thing") else { Issue.record("Thing missing"); return }
        let limits = Dictionary(uniqueKeysWithValues: Schema.limits(of: fields).map { ($0.fieldConstantName, $0.value) })
        #expect(limits == [
            "health": .integers(min: -5, max: 200),
            "x": .reals(min: -8, max: 8), "xResolution": .resolution(0.5),
            "aimBits": .bits(8),
            "flags": .integers(min: 0, max: 7), "delta": .integers(min: -4096, max: 4095),
            "wide": .integers(min: 0, max: 8_589_934_591),
            "name": .length(15), "nick": .length(4), "token": .count(16),
            "tags": .count(3), "tagsElement": .length(6),
            "levels": .count(2), "levelsElement": .integers(min: 1, max: 9),
        ])
        // A u16 is bounded by the Swift type that holds it: no constant.
        #expect(limits["plain"] == nil)
        guard case .alias(_, let tags)? = try Self.schema.declaration(named: "Tags") else { Issue.record("Tags missing"); return }
        #expect(tags.limits(at: []).map(\.aliasConstantName) == ["maxCount", "elementMaxLength"])
    }

    @Test func swiftDeclaresTheConstantsAndSaturatingFactories() throws {
        let swift = SwiftEmitter(schema: try Self.schema, sourcePath: "demo.schema", importsRuntime: true).emit()
        for line in [
            "public enum Label {", "public static let maxLength: Int = 12",
            "public enum Heading {", "public static let bits: Int = 10",
            "public static let maxCount: Int = 3", "public static let elementMaxLength: Int = 6",
            "public static let health: ClosedRange<Int> = -5...200",
            "public static let x: ClosedRange<Double> = -8.0...8.0", "public static let xResolution: Double = 0.5",
            "public static let aimBits: Int = 8",
            "public static let flags: ClosedRange<UInt8> = 0...7", "public static let delta: ClosedRange<Int16> = -4096...4095",
            "public static let wide: ClosedRange<UInt64> = 0...8589934591",
            "public static let name: Int = 15", "public static let token: Int = 16",
            "public static let tags: Int = 3", "public static let tagsElement: Int = 6",
            "public static let levelsElement: ClosedRange<Int> = 1...9",
            "public static let things: Int = 64", "public static let level: ClosedRange<Int> = 0...3",
            "health: Limits.health.clamp(health)", "flags: Limits.flags.clamp(flags)",
            "name: name.truncatedToUTF8(maxBytes: Limits.name)",
            "nick: nick.map { $0.truncatedToUTF8(maxBytes: Limits.nick) }",
            "level: level.map { Limits.level.clamp($0) }",
            // Arrays, bytes and sets pass through: the sender cuts them.
            "token: token, tags: tags, levels: levels",
        ] {
            #expect(swift.contains(line), "missing: \(line)")
        }
        #expect(swift.contains("@inlinable public static func saturating(health: some BinaryInteger = Int(0), x: Double = 0.0, aim: Double = 0, flags: some BinaryInteger = UInt8(0)"))
        #expect(swift.contains("@inlinable public static func saturating(things: [StuffEntry] = [], level: Int? = nil) -> Self"))
        // Unbounded aliases and full-width integers get nothing.
        #expect(!swift.contains("enum Count"))
        #expect(!swift.contains("static let plain"))
    }

    @Test func javaScriptExportsTheSameConstantsFrozen() throws {
        let js = JavaScriptEmitter(schema: try Self.schema, sourcePath: "demo.schema", runtime: ".").emit()
        for line in [
            "Label: Object.freeze({ maxLength: 12 }),",
            "Heading: Object.freeze({ bits: 10 }),",
            "Tags: Object.freeze({ maxCount: 3, elementMaxLength: 6 }),",
            "Thing: Object.freeze({ health: range(-5, 200), x: range(-8.0, 8.0), xResolution: 0.5, aimBits: 8, flags: range(0, 7), "
                + "delta: range(-4096, 4095), wide: range(0n, 8589934591n), name: 15, nick: 4, token: 16, tags: 3, tagsElement: 6, "
                + "levels: 2, levelsElement: range(1, 9) }),",
            "M: Object.freeze({ things: 64, level: range(0, 3) }),",
        ] {
            #expect(js.contains(line), "missing: \(line)")
        }
        #expect(!js.contains("Count: Object.freeze"))
    }
}
