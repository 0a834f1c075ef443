import ArbiterProtocol

/// libFuzzer target: what the server decodes from every client (Hello, Input, Ping).
///
/// Oracle: the decoders are strict (no trailing bytes, zero padding, no overlong varints), so
/// every byte string they accept is the one canonical encoding of its value: encoding the
/// decoded value must give the same bytes back. Anything else (a crash, a trap, a difference)
/// is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientMessages(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var decoder = ClientMessageDecoder()
    guard let message = try? decoder.decode(bytes) else { return 0 }
    var writer = BitWriter()
    do throws(WireError) {
        switch message {
        case .hello(let m): try m.encodeMessage(into: &writer)
        case .input(let m): try m.encodeMessage(into: &writer)
        case .ping(let m): try m.encodeMessage(into: &writer)
        }
    } catch {
        fatalError("decoded \(message) but cannot encode it: \(error)")
    }
    guard writer.bytes.elementsEqual(bytes) else {
        fatalError("\(message) re-encodes to other bytes")
    }
    return 0
}
