import ArbiterProtocol
import Foundation
import SchemaCompiler
import Testing

/// Random values of every kind in both schemas round-trip exactly after quantization: for each
/// message, a random input (out-of-range numbers included) and the value it must decode to are
/// built side by side from the schema itself, so no kind can be left out.
@Suite struct PropertyTests {
    @Test(arguments: GeneratedFiles.targets.map(\.schema))
    func randomValuesRoundTrip(schemaPath: String) throws {
        let text = try String(contentsOf: GeneratedFiles.packageRoot.appendingPathComponent(schemaPath), encoding: .utf8)
        let schema = try SchemaParser.parse(text, file: schemaPath)
        var rng = SplitMix64(seed: 0xA5A5_0001)
        for message in schema.messages {
            let type = try #require(vectorMessages["\(schema.name)/\(message.name)"])
            for _ in 0..<150 {
                var gen = RandomValues(schema: schema, rng: rng)
                let (baseInput, baseExpected) = gen.fields(message.fields)
                var (input, expected) = gen.fields(message.fields)
                if message.isDelta {
                    // Keep about half the fields unchanged so deltas exercise both paths.
                    for field in message.fields where Bool.random(using: &gen.rng) {
                        input[field.name] = baseExpected[field.name]
                        expected[field.name] = baseExpected[field.name]
                    }
                }
                rng = gen.rng
                try roundTrip(type, input: input, expected: expected, baseline: message.isDelta ? baseExpected : nil, unusedBaseInput: baseInput)
            }
        }
    }

    private func roundTrip<M: VectorMessage>(_: M.Type, input: [String: Any], expected: [String: Any], baseline: [String: Any]?, unusedBaseInput: [String: Any]) throws {
        func decodeJSON(_ object: [String: Any]) throws -> M {
            try JSONDecoder().decode(M.self, from: JSONSerialization.data(withJSONObject: object))
        }
        let value = try decodeJSON(input)
        let want = try decodeJSON(expected)
        let base = try baseline.map(decodeJSON)
        let bytes = try M.encodeBytes(value, baseline: base)
        let got = try M.decodeBytes(bytes, baseline: base)
        #expect(got == want, "\(M.self): \(got) != \(want)")
        // Quantized values are fixed points of the codec.
        #expect(try M.encodeBytes(got, baseline: base) == bytes)
        if base != nil {
            // And the same value sent in full decodes identically.
            #expect(try M.decodeBytes(M.encodeBytes(value, baseline: nil), baseline: nil) == want)
        }
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds (input, expected) JSON pairs for schema types.
struct RandomValues {
    let schema: Schema
    var rng: SplitMix64

    mutating func fields(_ fields: [Field]) -> ([String: Any], [String: Any]) {
        var input: [String: Any] = [:], expected: [String: Any] = [:]
        for f in fields {
            let (i, e) = value(f.type)
            if let i { input[f.name] = i }
            if let e { expected[f.name] = e }
        }
        return (input, expected)
    }

    mutating func value(_ t: FieldType) -> (Any?, Any?) {
        switch t {
        case .bool:
            let b = Bool.random(using: &rng)
            return (b, b)
        case .unsigned(let bits):
            let v = bits == 64 ? rng.next() : rng.next() & ((1 << UInt64(bits)) - 1)
            return (v, v)
        case .signed(let bits):
            let raw = rng.next()
            let v = bits == 64 ? Int64(bitPattern: raw) : Int64(bitPattern: raw << UInt64(64 - bits)) >> Int64(64 - bits)
            return (v, v)
        case .ranged(let min, let max):
            let v = Int64.random(in: min...max, using: &rng)
            return (v, v)
        case .fixed(let min, let max, let step, let steps):
            let span = max - min
            let v = Double.random(in: (min - span * 0.1)...(max + span * 0.1), using: &rng)
            let q = try! Quantize.fixed(v, min: min, step: step, steps: steps)
            return (v, Quantize.fixedValue(q, min: min, step: step))
        case .angle(let bits):
            let v = Double.random(in: -20...20, using: &rng)
            return (v, Quantize.angleValue(try! Quantize.angle(v, bits: bits), bits: bits))
        case .varuint(let width):
            let shift = UInt64.random(in: 0...UInt64(width - 1), using: &rng)
            let v = width == 64 ? rng.next() >> shift : (rng.next() & 0xFFFF_FFFF) >> shift
            return (v, v)
        case .string(let maxBytes):
            let alphabet = ["a", "Z", "0", " ", "é", "€", "日", "☄"]
            var s = ""
            while true {
                let c = alphabet.randomElement(using: &rng)!
                if s.utf8.count + c.utf8.count > maxBytes || Int.random(in: 0..<6, using: &rng) == 0 { break }
                s += c
            }
            return (s, s)
        case .bytes(let max):
            let b = (0..<Int.random(in: 0...max, using: &rng)).map { _ in Int(UInt8.random(in: 0...255, using: &rng)) }
            return (b, b)
        case .optional(let inner):
            if Bool.random(using: &rng) { return (nil, nil) }
            return value(inner)
        case .array(let inner, let max):
            var i: [Any] = [], e: [Any] = []
            for _ in 0..<Int.random(in: 0...Swift.min(max, 6), using: &rng) {
                let (a, b) = value(inner)
                i.append(a!)
                e.append(b!)
            }
            return (i, e)
        case .set(let union, let max):
            let members = schema.unionMembers(union)
            var slots = Set<UInt32>()
            for _ in 0..<Int.random(in: 0...Swift.min(max, 6), using: &rng) { slots.insert(UInt32.random(in: 0...40, using: &rng)) }
            var i: [Any] = [], e: [Any] = []
            for slot in slots.sorted() {
                let id = UInt32.random(in: 0...3, using: &rng) << 24 | slot
                let member = members.randomElement(using: &rng)!
                guard case .entity(_, let fs)? = schema.declaration(named: member) else { continue }
                let (a, b) = fields(fs)
                i.append(["id": id, "type": member, "value": a])
                e.append(["id": id, "type": member, "value": b])
            }
            return (i, e)
        case .named(let name):
            switch schema.declaration(named: name) {
            case .enumeration(_, let cases)?:
                let c = cases.randomElement(using: &rng)!.name
                return (c, c)
            case .structure(_, let fs)?, .entity(_, let fs)?:
                let (a, b) = fields(fs)
                return (a, b)
            default:
                return (nil, nil)
            }
        }
    }
}
