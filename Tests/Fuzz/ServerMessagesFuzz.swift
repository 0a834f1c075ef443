import ArbiterProtocol

/// libFuzzer target: what every client decodes from the server, deltas included. The input is
/// split into messages by a length byte each (`n`, then `n` bytes), decoded in order by one
/// decoder, so a Snapshot can be a delta against the one before it.
///
/// Oracle: a decoded message encodes (against the same baseline) to bytes that decode to the
/// same value. (Not to the same bytes: a delta may mark a field changed to the value it had.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerMessages(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var rest = UnsafeRawBufferPointer(start: data, count: size)[...]
    var decoder = ServerMessageDecoder()
    var baseline: Snapshot?
    while let length = rest.first {
        rest = rest.dropFirst()
        let message = UnsafeRawBufferPointer(rebasing: rest.prefix(Int(length)))
        rest = rest.dropFirst(Int(length))
        guard let decoded = try? decoder.decode(message) else { return 0 }
        guard case .snapshot(let snapshot) = decoded else { continue }
        var writer = BitWriter()
        do throws(WireError) {
            try snapshot.encodeMessage(into: &writer, baseline: baseline)
        } catch {
            fatalError("decoded \(snapshot) but cannot encode it: \(error)")
        }
        var check = ServerMessageDecoder()
        if let baseline {
            var seed = BitWriter()
            try! baseline.encodeMessage(into: &seed, baseline: nil)
            _ = try! check.decode(seed.bytes)
        }
        guard case .snapshot(let again)? = try? check.decode(writer.bytes), again == snapshot else {
            fatalError("\(snapshot) does not survive a round trip")
        }
        baseline = snapshot
    }
    return 0
}
