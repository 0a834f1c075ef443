import ArbiterProtocol

/// What the vector and property tests need of any generated message, delta or not.
protocol VectorMessage: Codable, Equatable, Sendable {
    static var messageID: UInt8 { get }
    static func encode(_ value: Self, baseline: Self?, into w: inout BitWriter) throws(WireError)
    init(reading r: inout BitReader, baseline: Self?) throws(WireError)
}

/// Plain messages ignore the baseline.
protocol PlainVectorMessage: VectorMessage {
    func encodeMessage(into w: inout BitWriter) throws(WireError)
    init(reading r: inout BitReader) throws(WireError)
}

extension PlainVectorMessage {
    static func encode(_ value: Self, baseline: Self?, into w: inout BitWriter) throws(WireError) {
        try value.encodeMessage(into: &w)
    }
    init(reading r: inout BitReader, baseline: Self?) throws(WireError) {
        try self.init(reading: &r)
    }
}

protocol DeltaVectorMessage: VectorMessage {
    func encodeMessage(into w: inout BitWriter, baseline: Self?) throws(WireError)
}

extension DeltaVectorMessage {
    static func encode(_ value: Self, baseline: Self?, into w: inout BitWriter) throws(WireError) {
        try value.encodeMessage(into: &w, baseline: baseline)
    }
}

extension VectorMessage {
    static func encodeBytes(_ value: Self, baseline: Self?) throws(WireError) -> [UInt8] {
        var w = BitWriter()
        try encode(value, baseline: baseline, into: &w)
        return w.bytes
    }

    /// Decodes one whole message of this type (id byte, body, padding check).
    static func decodeBytes(_ bytes: [UInt8], baseline: Self?) throws(WireError) -> Self {
        try bytes.withBitReader { (r) throws(WireError) -> Self in
            let id = UInt8(try r.read(bits: 8))
            guard id == messageID else { throw .unknownMessageID(id) }
            let value = try Self(reading: &r, baseline: baseline)
            try r.finish()
            return value
        }
    }
}

extension Hello: PlainVectorMessage {}
extension Welcome: PlainVectorMessage {}
extension MapInfo: PlainVectorMessage {}
extension Input: PlainVectorMessage {}
extension Ping: PlainVectorMessage {}
extension Pong: PlainVectorMessage {}
extension Kick: PlainVectorMessage {}
extension Snapshot: DeltaVectorMessage {}
extension Integers: PlainVectorMessage {}
extension Numbers: PlainVectorMessage {}
extension Containers: PlainVectorMessage {}
extension World: DeltaVectorMessage {}

/// Every message of both schemas by "schema/Message", for tests that work from names.
let vectorMessages: [String: any VectorMessage.Type] = [
    "arena/Hello": Hello.self, "arena/Welcome": Welcome.self, "arena/MapInfo": MapInfo.self,
    "arena/Input": Input.self, "arena/Ping": Ping.self, "arena/Pong": Pong.self, "arena/Kick": Kick.self,
    "arena/Snapshot": Snapshot.self,
    "conformance/Integers": Integers.self, "conformance/Numbers": Numbers.self,
    "conformance/Containers": Containers.self, "conformance/World": World.self,
]
