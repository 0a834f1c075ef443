import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP proxy that puts an emulated network link between a client and a server: every
/// accepted connection is paired with one to `upstream`, and each direction's bytes pass through
/// a `LinkSchedule` (delay, jitter, loss stalls, outage) before they are written on. It works for
/// anything over TCP, so a browser can play through it as well as bots (`arbiter-bench link`).
///
/// Threading: both channels of a connection live on one event loop, and each direction's
/// schedule, held bytes and timer are touched only there. `start` and `stop` may be called from
/// any task. Time zero of every schedule (and of the profile's outage) is when `start` returned.
public final class LinkConditioner: Sendable {
    public let profile: LinkProfile
    /// The port clients connect to (on 127.0.0.1 unless `start` was given another host).
    public let port: Int
    /// When the conditioner started: the outage is at `epoch + profile.outageAtSeconds`.
    public let epoch: NIODeadline
    private let listener: any Channel
    private let totals: NIOLockedValueBox<LinkStatistics>

    /// Listens on `host:port` (0: any free port) and forwards to `upstream`.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, upstream: SocketAddress, profile: LinkProfile, seed: UInt64,
        group: any EventLoopGroup
    ) async throws -> LinkConditioner {
        let epoch = NIODeadline.now()
        let totals = NIOLockedValueBox(LinkStatistics())
        let connections = NIOLockedValueBox<UInt64>(0)
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { inbound in
                let index = connections.withLockedValue { count in
                    count += 1
                    return count
                }
                let seed = seed &+ index &* 0x9E37_79B9_7F4A_7C15
                let link = Link(profile: profile, epoch: epoch, totals: totals)
                return ClientBootstrap(group: inbound.eventLoop)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { outbound in
                        outbound.eventLoop.makeCompletedFuture {
                            try outbound.pipeline.syncOperations.addHandler(
                                LinkDirection(link: link, peer: inbound, schedule: LinkSchedule(profile: profile, seed: seed ^ 2)))
                        }
                    }
                    .connect(to: upstream)
                    .flatMapThrowing { outbound in
                        try inbound.pipeline.syncOperations.addHandler(
                            LinkDirection(link: link, peer: outbound, schedule: LinkSchedule(profile: profile, seed: seed ^ 1)))
                        inbound.setOption(.autoRead, value: true).whenComplete { _ in }
                    }
            }
            .bind(host: host, port: port)
            .get()
        return LinkConditioner(profile: profile, port: listener.localAddress?.port ?? 0, epoch: epoch, listener: listener, totals: totals)
    }

    private init(profile: LinkProfile, port: Int, epoch: NIODeadline, listener: any Channel, totals: NIOLockedValueBox<LinkStatistics>) {
        self.profile = profile
        self.port = port
        self.epoch = epoch
        self.listener = listener
        self.totals = totals
    }

    /// What the conditioner has done so far (a direction is added when it ends).
    public var statistics: LinkStatistics { totals.withLockedValue { $0 } }

    /// Stops accepting; connections already open end when their ends close.
    public func stop() async {
        try? await listener.close()
    }
}

/// Counts over the directions of connections that have ended.
public struct LinkStatistics: Sendable, Equatable {
    /// Directions ended: two per connection.
    public var directions = 0
    public var bytes = 0
    public var segmentsLost = 0
    public var fastRetransmits = 0
}

/// What both directions of one connection share: the profile, time zero and the totals.
private struct Link: Sendable {
    let profile: LinkProfile
    let epoch: NIODeadline
    let totals: NIOLockedValueBox<LinkStatistics>
}

/// One direction: reads from its own channel, holds the bytes as the schedule says, writes them
/// to `peer`. When its channel closes, what is held still goes out, then the peer is closed.
private final class LinkDirection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let link: Link
    let peer: any Channel
    var schedule: LinkSchedule
    var held: ByteBuffer
    var timer: Scheduled<Void>?
    var timerAt: Int64?
    var sourceClosed = false
    var bytes = 0

    init(link: Link, peer: any Channel, schedule: LinkSchedule) {
        self.link = link
        self.peer = peer
        self.schedule = schedule
        self.held = ByteBufferAllocator().buffer(capacity: 4096)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let count = buffer.readableBytes
        bytes += count
        held.writeBuffer(&buffer)
        schedule.send(count, at: now())
        releaseDue(eventLoop: context.eventLoop)
    }

    func channelInactive(context: ChannelHandlerContext) {
        sourceClosed = true
        releaseDue(eventLoop: context.eventLoop)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func now() -> Int64 {
        Int64(NIODeadline.now().uptimeNanoseconds) - Int64(link.epoch.uptimeNanoseconds)
    }

    /// Writes what is due, then arms the timer for the next release (or closes the peer once
    /// the source is gone and nothing is held).
    private func releaseDue(eventLoop: any EventLoop) {
        let due = schedule.release(upTo: now())
        if due > 0, let slice = held.readSlice(length: due) {
            peer.writeAndFlush(slice, promise: nil)
            if held.readerIndex > 64 * 1024 { held.discardReadBytes() }
        }
        guard let next = schedule.nextRelease else {
            timer?.cancel()
            timer = nil
            timerAt = nil
            if sourceClosed { finish() }
            return
        }
        guard next != timerAt else { return }
        timer?.cancel()
        timerAt = next
        let deadline = NIODeadline.uptimeNanoseconds(UInt64(max(0, Int64(link.epoch.uptimeNanoseconds) + next)))
        // The timer holds the handler, not the context, which may be gone when it fires.
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timerAt = nil
            timer = nil
            releaseDue(eventLoop: eventLoop)
        }
    }

    private func finish() {
        guard bytes >= 0 else { return }
        let (bytes, losses, fast) = (self.bytes, schedule.losses, schedule.fastRetransmits)
        self.bytes = -1
        link.totals.withLockedValue {
            $0.directions += 1
            $0.bytes += bytes
            $0.segmentsLost += losses
            $0.fastRetransmits += fast
        }
        peer.close(promise: nil)
    }
}
