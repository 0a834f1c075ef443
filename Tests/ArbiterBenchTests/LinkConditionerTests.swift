#if canImport(Glibc)
@testable import ArbiterBench
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Writes back whatever it reads.
private final class Echo: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}

/// A blocking client socket on 127.0.0.1 with a receive timeout.
private struct Client {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw BenchError("connect failed") }
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// Exactly `count` bytes, or fewer if the socket timed out or closed.
    func receive(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - result.count), 0) }
            guard n > 0 else { break }
            result += chunk[0..<n]
        }
        return result
    }

    func close() { Glibc.close(fd) }
}

@Suite("The link conditioner as a live proxy on 127.0.0.1", .serialized, .timeLimit(.minutes(1)))
struct LinkConditionerTests {
    private func withEcho(profile: LinkProfile, _ body: (LinkConditioner) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let echo = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in channel.pipeline.addHandler(Echo()) }
            .bind(host: "127.0.0.1", port: 0).get()
        let upstream = try SocketAddress(ipAddress: "127.0.0.1", port: echo.localAddress!.port!)
        let link = try await LinkConditioner.start(upstream: upstream, profile: profile, seed: 5, group: group)
        do {
            try await body(link)
        } catch {
            await link.stop()
            try await echo.close()
            try await group.shutdownGracefully()
            throw error
        }
        await link.stop()
        try await echo.close()
        try await group.shutdownGracefully()
    }

    @Test("a round trip takes the profile's RTT, and bytes pass unchanged")
    func delaysRoundTrip() async throws {
        try await withEcho(profile: LinkProfile(rttMs: 120, jitterMs: 0, lossPercent: 0)) { link in
            let client = try Client(port: link.port)
            defer { client.close() }
            for round in 0..<3 {
                let message = (0..<100).map { UInt8(($0 + round) % 256) }
                let start = Date()
                client.send(message)
                #expect(client.receive(message.count) == message)
                let elapsed = Date().timeIntervalSince(start) * 1000
                #expect(elapsed >= 119 && elapsed < 600, "round trip \(elapsed) ms")
            }
        }
    }

    @Test("with jitter and loss a large stream still arrives complete and in order")
    func lossKeepsTheStreamIntact() async throws {
        try await withEcho(profile: LinkProfile(rttMs: 20, jitterMs: 10, lossPercent: 5)) { link in
            let client = try Client(port: link.port)
            var rng = SystemRandomNumberGenerator()
            let message = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Send from another thread, so the echo never waits on a full receive buffer.
            let sender = Thread { client.send(message) }
            sender.start()
            #expect(client.receive(message.count) == message)
            client.close()
            for _ in 0..<100 where link.statistics.directions < 2 { try await Task.sleep(for: .milliseconds(20)) }
            let statistics = link.statistics
            #expect(statistics.directions == 2)
            #expect(statistics.bytes == 2 * message.count)
            #expect(statistics.segmentsLost > 0, "about 5 % of \(2 * message.count / 1448) segments")
        }
    }

    @Test("an outage holds both directions until it ends")
    func outageHolds() async throws {
        var profile = LinkProfile(rttMs: 0, jitterMs: 0, lossPercent: 0)
        profile.outageAtSeconds = 0.4
        profile.outageSeconds = 0.6
        try await withEcho(profile: profile) { link in
            let client = try Client(port: link.port)
            defer { client.close() }
            client.send([1])
            #expect(client.receive(1) == [1])
            let untilOutage = 0.5 - Double((NIODeadline.now() - link.epoch).nanoseconds) / 1e9
            try await Task.sleep(for: .milliseconds(Int(max(0, untilOutage) * 1000)))
            client.send([2])
            #expect(client.receive(1) == [2])
            let since = Double((NIODeadline.now() - link.epoch).nanoseconds) / 1e9
            #expect(since >= 1.0 && since < 1.5, "echo seen \(since) s after start, outage ends at 1.0 s")
        }
    }
}
#endif
