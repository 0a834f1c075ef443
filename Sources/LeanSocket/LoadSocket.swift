#if canImport(Glibc)
import CEpoll
import Glibc

/// The few socket calls the lean load generator makes, on raw nonblocking descriptors.
public enum LoadSocket {
    /// A nonblocking TCP socket connecting to 127.0.0.1:`port`; nil if the connect failed at once.
    public static func connect(port: Int) -> Int32? {
        connect(to: address(ipv4: 0x7F00_0001, port: port))
    }

    /// A nonblocking TCP socket connecting to `address`; nil if the connect failed at once.
    public static func connect(to address: sockaddr_in) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        // Inputs are 16 bytes each: Nagle would hold them back behind the previous one's ack.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 || errno == EINPROGRESS { return fd }
        close(fd)
        return nil
    }

    /// An IPv4 socket address (`ipv4` in host byte order).
    public static func address(ipv4: UInt32, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr = in_addr(s_addr: ipv4.bigEndian)
        return address
    }

    /// `host`'s first IPv4 address (a name or a dotted quad), resolved once before a thousand
    /// connects; nil if it has none.
    public static func resolveIPv4(host: String, port: Int) -> sockaddr_in? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let list else { return nil }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            if current.pointee.ai_family == AF_INET, let raw = current.pointee.ai_addr {
                var address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
                return address
            }
            entry = current.pointee.ai_next
        }
        return nil
    }

    /// The outcome of a nonblocking connect, once the socket turned writable.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
        return error
    }

    public enum WriteResult: Equatable {
        case complete
        case wouldBlock
        case partial(Int)
        case failed
    }

    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteResult {
        let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
        if n == bytes.count { return .complete }
        if n >= 0 { return .partial(n) }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed
    }

    public static func epollControl(_ epoll: Int32, _ op: Int32, fd: Int32, events: UInt32, token: UInt64) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        _ = epoll_ctl(epoll, op, fd, &event)
    }

    /// Edge-triggered: a connection reads until a short read, and epoll need not poll every
    /// socket again after each batch of events.
    public static let readable = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
    public static let writable = EPOLLOUT.rawValue

    /// Nanoseconds on the monotonic clock (a vDSO call, no syscall).
    @inlinable public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
#endif
