import ArbiterProtocol
import Foundation
import Testing

/// Protocol/vectors/errors/*.json: bytes each decoder must refuse, with the error code and bit.
/// The node tests read the same files, so both languages refuse the same bytes the same way.
struct ErrorVector: Codable {
    var schema: String
    var message: String
    var description: String
    var hex: String
    var baselineHex: String?
    var error: String
    var bit: Int
}

@Suite struct ErrorVectorTests {
    @Test func everyErrorVectorIsRefusedWithItsCodeAndBit() throws {
        let dir = vectorsRoot.appendingPathComponent("errors")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 9)
        for name in files {
            let v = try JSONDecoder().decode(ErrorVector.self, from: Data(contentsOf: dir.appendingPathComponent(name)))
            let type = try #require(vectorMessages["\(v.schema)/\(v.message)"])
            do {
                try refuse(type, v)
                Issue.record("\(name): decoded without error")
            } catch let error as WireError {
                #expect(error.code == v.error, "\(name): \(error)")
                #expect(error.bitOffset == v.bit, "\(name): \(error)")
            }
        }
    }

    private func refuse<M: VectorMessage>(_: M.Type, _ v: ErrorVector) throws {
        let baseline = try v.baselineHex.map { try M.decodeBytes(unhex($0), baseline: nil) }
        _ = try decodeAny(M.self, unhex(v.hex), baseline: baseline)
    }

    /// Decodes like a receiver does: the id byte picks the message, so a wrong id is an error.
    private func decodeAny<M: VectorMessage>(_: M.Type, _ bytes: [UInt8], baseline: M?) throws(WireError) -> M {
        if bytes.isEmpty { throw WireError.emptyMessage }
        return try M.decodeBytes(bytes, baseline: baseline)
    }

    @Test func encoderRefusesValuesItCannotRepresent() {
        var w = BitWriter()
        #expect(throws: WireError.self) { try Kick(reason: .kicked, detail: String(repeating: "x", count: 121)).encodeMessage(into: &w) }
        #expect(throws: WireError.self) { try Input(seq: 1, moveX: 128, moveY: 0, aim: 0, fire: false, secondary: false).encodeMessage(into: &w) }
        #expect(throws: WireError.self) { try Input(seq: 1, moveX: 0, moveY: 0, aim: .nan, fire: false, secondary: false).encodeMessage(into: &w) }
        #expect(throws: WireError.self) { try Pair(a: 8, b: 0).write(to: &w) }
        #expect(throws: WireError.self) { try Pair(a: 0, b: 16).write(to: &w) }
        let unsorted = World(things: [ThingEntry(id: 5, value: .box(Box())), ThingEntry(id: 2, value: .box(Box()))])
        #expect(throws: WireError.self) { try unsorted.encodeMessage(into: &w, baseline: nil) }
    }
}
