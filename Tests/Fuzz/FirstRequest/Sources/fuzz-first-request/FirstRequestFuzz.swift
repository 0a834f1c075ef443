import ArbiterServer
import Logging
import NIOCore
import NIOEmbedded

/// One server, configured once: an echo endpoint to upgrade to, no rooms, no web root.
private let server: GameServer = {
    var configuration = ServerConfiguration()
    configuration.echoEndpoint = true
    configuration.webRoot = .disabled
    var logger = Logger(label: "fuzz")
    logger.logLevel = .critical
    return GameServer(configuration: configuration, play: nil, logger: logger)
}()

/// libFuzzer target: the input is what a client sends on a new connection, in up to four
/// chunks (a byte 0xFF splits it), so partial heads and pipelined requests are covered. The
/// pipeline must never crash or trap; whatever it answers must be an HTTP response or
/// WebSocket frames, never bytes the client's request put there.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFirstRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
    do {
        // As an accept does: the pipeline first, then the connection becomes active.
        try server.installConnectionPipeline(on: channel).wait()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
    } catch {
        return 0  // refused at accept (a limit): nothing to parse
    }
    for chunk in bytes.split(separator: 0xFF, maxSplits: 3, omittingEmptySubsequences: false) where channel.isActive {
        _ = try? channel.writeInbound(ByteBuffer(bytes: chunk))
        channel.embeddedEventLoop.run()
    }
    var first = true
    while let out = try? channel.readOutbound(as: ByteBuffer.self) {
        if first, out.readableBytes >= 5, let text = out.getString(at: out.readerIndex, length: 5), text.hasPrefix("HTTP") {
            guard text == "HTTP/" else { fatalError("a response that is not HTTP/1.x: \(text)") }
        }
        first = false
    }
    return 0
}

// SwiftPM links an executable's entry point as `<module>_main`; libFuzzer's driver is called
// from there, since `-parse-as-library` leaves the module without a main of its own.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("fuzz_first_request_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, fuzzFirstRequest)
}
