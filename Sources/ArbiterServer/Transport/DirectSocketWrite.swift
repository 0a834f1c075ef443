#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Writing a game frame straight to its socket, past NIO's pipeline: one `send` from the loop's
/// reused buffer.
///
/// Why: NIO's write path (the pipeline's contexts, the pending-writes queue, the promise and
/// flush bookkeeping, their retains and releases) was 8.3 % of the server's CPU at 1,000 clients,
/// on top of the kernel's 32.5 % for the `write` itself (perf, `Tests/Benchmarks/RESULTS.md`).
///
/// How it stays correct (`ServerWebSocketHandler.writeFramed`):
/// - only on the channel's event loop, the one thread that writes to and closes the socket;
/// - only while nothing of this connection waits in NIO's queue: every write that goes through
///   NIO is counted until it completes, so no byte overtakes another, and the first frame always
///   goes through NIO, so the upgrade's response is out before any direct write;
/// - what the kernel does not take now (a full socket) goes to NIO, which writes it when the
///   socket drains and reports writability as it always did (slow clients, watermarks);
/// - an error is left to NIO as well: its write of the same bytes meets it and closes the
///   channel the usual way;
/// - plain TCP only: with TLS the bytes must pass NIOSSL, and the pipeline writes them;
/// - Linux only (`MSG_NOSIGNAL`); elsewhere `descriptor(of:)` finds none and NIO writes.
enum DirectSocketWrite {
    /// The accepted socket's descriptor, or nil. NIOPosix keeps it internal
    /// (`BaseSocketChannel.socket`, `BaseSocket.descriptor`), so it is read once per connection
    /// through reflection and checked against the channel's peer address; if NIO's layout
    /// changes the lookup finds nothing and the pipeline writes as before
    /// (`DirectSocketWriteTests` pins the lookup for the NIO version in Package.swift).
    static func descriptor(of channel: any Channel) -> CInt? {
        #if canImport(Glibc)
        guard let socket = field("socket", of: channel), let fd = field("descriptor", of: socket) as? CInt, fd >= 0,
              let port = channel.remoteAddress?.port, peerPort(of: fd) == port
        else { return nil }
        return fd
        #else
        return nil
        #endif
    }

    /// Sends what the kernel takes now, without blocking or raising SIGPIPE: the bytes taken,
    /// 0 when the socket is full or on an error (NIO's write of the rest then meets it).
    static func sendNow(_ fd: CInt, _ bytes: UnsafeRawBufferPointer) -> Int {
        #if canImport(Glibc)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        while true {
            let sent = send(fd, base, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            if sent >= 0 { return sent }
            if errno != EINTR { return 0 }
        }
        #else
        return 0
        #endif
    }

    private static func field(_ name: String, of value: Any) -> Any? {
        var mirror: Mirror? = Mirror(reflecting: value)
        while let current = mirror {
            if let child = current.children.first(where: { $0.label == name }) { return child.value }
            mirror = current.superclassMirror
        }
        return nil
    }

    #if canImport(Glibc)
    private static func peerPort(of fd: CInt) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default:
            return nil
        }
    }
    #endif
}
