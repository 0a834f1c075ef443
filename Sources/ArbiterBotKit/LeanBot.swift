#if canImport(Glibc)
import ArbiterClient
import ArbiterProtocol
import ArenaBot
import CEpoll
import Glibc
import LeanSocket

/// One bot of the lean transport: a raw socket through the WebSocket upgrade (`LeanHandshake`),
/// every message decoded by the generated decoder (which keeps the Snapshot delta baseline, as
/// `ArbiterSession` does), its `BotBrain` deciding an Input from the latest snapshot each tick,
/// its own ship predicted (`OwnShipPredictor`) to count corrections, a Ping a second, and a
/// pong for each server ping. Lives on one `LeanBotThread`, which owns its epoll set and the
/// counters it adds to; nothing here locks.
///
/// Per-tick work reuses the bot's buffers (receive buffer, encode writer, outgoing frame); what
/// still allocates per Snapshot is the generated decoder's result: the new entity array, and
/// kill, hit or scoreboard arrays when they change.
final class LeanBot {
    enum State: Equatable { case idle, connecting, upgrading, awaitingWelcome, playing, closing, closed }

    /// Seconds a connection may take from connect to Welcome, and a closing one to finish.
    static let joinTimeout: UInt64 = 10_000_000_000
    static let closeTimeout: UInt64 = 2_000_000_000
    /// A playing bot that hears nothing for this long counts as dropped ("timeout").
    static let silenceTimeout: UInt64 = 10_000_000_000
    static let pingInterval: UInt64 = 1_000_000_000
    private static let pendingWindow: UInt32 = 64

    let index: Int
    private let token: UInt64
    private let name: String
    /// The thread owns its bots and outlives them; `unowned(unsafe)` skips the reference count
    /// check on every access (one per counter update, thousands per tick).
    private unowned(unsafe) let home: LeanBotThread
    private(set) var state = State.idle
    private var fd: Int32 = -1
    /// Connect/join, close or silence deadline for the current state.
    private(set) var deadline: UInt64 = 0
    private var buffer = WebSocketFrameBuffer()
    private var decoder = ServerMessageDecoder()
    private var brain: BotBrain
    private(set) var welcome: Welcome?
    private var mapInfo: MapInfo?
    private var predictor = OwnShipPredictor()
    private var contactInLastSnapshot = false
    /// The brain's decision from the latest snapshot, sent every tick until the next one (the
    /// brain decides only when a snapshot is new, so deciding on arrival is the same decision
    /// without copying the snapshot out of the decoder each tick).
    private var decided = Input()
    private var writer = BitWriter(capacity: 64)
    private var frame = SmallClientFrame()
    /// The unsent end of a partly written frame; inputs wait until it is out.
    private var pendingOut: [UInt8] = []
    private(set) var nextSeq: UInt32 = 1
    private var ackedThrough: UInt32 = 0
    private let sentAt: UnsafeMutablePointer<UInt64>
    private var lastSnapshotAt: UInt64?
    private var lastSnapshotTick: UInt32?
    private var lastHeard: UInt64 = 0
    private var lastPingAt: UInt64 = 0
    private var pingNonce: UInt32 = 0
    private var joinedAt: UInt64?
    private var everJoined = false
    /// Set when the fleet stops: the close that follows is ours, not a drop.
    private var stopping = false

    init(index: Int, token: UInt64, name: String, brain: BotBrain, home: LeanBotThread) {
        self.index = index
        self.token = token
        self.name = name
        self.brain = brain
        self.home = home
        sentAt = .allocate(capacity: Int(Self.pendingWindow))
        sentAt.initialize(repeating: 0, count: Int(Self.pendingWindow))
    }

    deinit {
        sentAt.deallocate()
        if fd >= 0 { close(fd) }
    }

    var isPlaying: Bool { state == .playing }
    var isOpen: Bool { fd >= 0 }
    var tickRate: Int { welcome?.tickRate ?? 0 }
    /// The own ship in the latest snapshot (world units), for tests that check bots move.
    var ownPosition: SIMD2<Double>? {
        guard state == .playing, let own = decoder.snapshotBaseline?.own, own.alive else { return nil }
        return SIMD2(own.x, own.y)
    }

    // MARK: Connecting

    func start(now: UInt64) {
        guard state == .idle else { return }
        guard let fd = LoadSocket.connect(to: home.address) else {
            return connectFailed("connect: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        state = .connecting
        deadline = now &+ Self.joinTimeout
        LoadSocket.epollControl(home.epoll, EPOLL_CTL_ADD, fd: fd, events: LoadSocket.writable, token: token)
    }

    func handle(events: UInt32, now: UInt64) {
        if state == .connecting {
            // A refused connect may report only EPOLLERR | EPOLLHUP.
            let error = LoadSocket.pendingError(fd)
            guard error == 0 else { return connectFailed("connect: \(String(cString: strerror(error)))") }
            guard events & LoadSocket.writable != 0 else { return }
            guard home.upgradeRequest.withUnsafeBytes({ LoadSocket.write(fd, $0) }) == .complete else {
                return connectFailed("upgrade request not sent")
            }
            state = .upgrading
            LoadSocket.epollControl(home.epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable, token: token)
            return
        }
        if events & LoadSocket.writable != 0 { flush() }
        if events & (LoadSocket.readable | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0, fd >= 0 {
            readable(now: now)
        }
    }

    /// Called every few ms by the thread: the state's deadline passed.
    func checkDeadline(now: UInt64) {
        guard fd >= 0, now >= deadline else { return }
        switch state {
        case .connecting, .upgrading, .awaitingWelcome: connectFailed("no Welcome within \(Self.joinTimeout / 1_000_000_000) s")
        case .closing: closeSocket()
        case .playing where now &- lastHeard >= Self.silenceTimeout: dropped(code: "timeout")
        case .playing: deadline = lastHeard &+ Self.silenceTimeout
        default: break
        }
    }

    /// Leaves: close 1000, then waits (up to `closeTimeout`) for the server's close.
    func stop(now: UInt64) {
        stopping = true
        leave(now: now)
        switch state {
        case .idle:
            state = .closed
        case .connecting, .upgrading:
            closeSocket()
        case .awaitingWelcome, .playing:
            send(ClientFrames.close(code: 1000))
            state = .closing
            deadline = now &+ Self.closeTimeout
        case .closing, .closed:
            break
        }
    }

    // MARK: Reading

    /// Reads until the socket is drained (edge-triggered epoll).
    private func readable(now: UInt64) {
        while fd >= 0 {
            let space = buffer.prepareForRead()
            let n = read(fd, space.baseAddress, space.count)
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                switch state {
                case .upgrading: return connectFailed("connection closed during the upgrade")
                case .closing: return closeSocket()
                default: return dropped(code: "none")
                }
            }
            guard n > 0 else { return }
            buffer.didRead(n)
            lastHeard = now
            if state == .upgrading {
                switch LeanHandshake.response(buffer.readable) {
                case .incomplete:
                    if n < space.count { return } else { continue }
                case .refused(let status):
                    home.counters.protocolErrors += 1
                    return connectFailed("upgrade refused: \(status)")
                case .upgraded(let headerBytes):
                    buffer.consume(headerBytes)
                    state = .awaitingWelcome
                    guard let hello = try? ClientFrames.hello(name: name) else { return connectFailed("Hello not encodable") }
                    send(hello)
                    home.countOut(payload: hello.count - 6, wire: hello.count)
                }
            }
            receiveFrames(now: now)
            if n < space.count { return }
        }
    }

    private func receiveFrames(now: UInt64) {
        while fd >= 0 {
            let next: WebSocketFrameBuffer.Frame
            do throws(WebSocketFrameBuffer.FramingError) {
                guard let frame = try buffer.nextFrame() else { return }
                next = frame
            } catch {
                return protocolError()
            }
            let payload = next.payload
            home.transport.wireBytesIn += payload.count + (payload.count < 126 ? 2 : payload.count <= 0xFFFF ? 4 : 10)
            switch next.opcode {
            case ClientFrames.binary where next.fin:
                guard state != .closing else { continue }
                home.transport.messagesIn += 1
                home.transport.bytesIn += payload.count
                message(payload, now: now)
            case ClientFrames.close:
                let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : 1005
                if state == .closing { return closeSocket() }
                send(ClientFrames.close(code: code == 1005 ? 1000 : code))
                return dropped(code: String(code))
            case ClientFrames.ping:
                guard frame.set(opcode: ClientFrames.pong, payload: payload) else { return protocolError() }
                home.transport.wireBytesOut += frame.bytes.count
                sendFrame()
            case ClientFrames.pong:
                break
            default:
                // Text, a continuation, a fragmented message or an unknown opcode: this server
                // sends none of them.
                protocolError()
            }
        }
    }

    private func message(_ bytes: UnsafeRawBufferPointer, now: UInt64) {
        let decoded: ServerMessage
        do throws(WireError) {
            decoded = try decoder.decode(bytes)
        } catch {
            home.metrics.decodeErrors += 1
            if home.counters.firstError == nil { home.counters.firstError = "undecodable message: \(error)" }
            return protocolError()
        }
        switch decoded {
        case .snapshot(let snapshot):
            snapshotArrived(snapshot, now: now)
        case .welcome(let welcome):
            guard state == .awaitingWelcome else { return protocolError() }
            self.welcome = welcome
            state = .playing
            deadline = now &+ Self.silenceTimeout
            joinedAt = now
            home.counters.connected += 1
            if !everJoined {
                everJoined = true
                home.counters.joinedBots += 1
            }
            home.metrics.joins += 1
            home.joined(tickRate: welcome.tickRate, snapshotInterval: welcome.snapshotInterval)
        case .mapInfo(let map):
            mapInfo = map
            predictor.setMap(map)
        case .pong(let pong):
            if now >= pong.clientTime { home.metrics.roundTrip.record(nanoseconds: now - pong.clientTime) }
        case .kick(let kick):
            home.counters.kicks[kick.reason.name, default: 0] += 1
            if kick.reason == .malformed || kick.reason == .protocolMismatch { home.counters.protocolErrors += 1 }
        }
    }

    /// Counts the snapshot, times the inputs it acknowledges, and checks the own-ship prediction.
    private func snapshotArrived(_ snapshot: Snapshot, now: UInt64) {
        let metrics = home.metrics
        metrics.snapshotsReceived += 1
        metrics.timeline.record(.snapshot, at: now)
        if let last = lastSnapshotAt { metrics.snapshotGap.record(nanoseconds: now &- last) }
        lastSnapshotAt = now
        let interval = max(1, welcome?.snapshotInterval ?? 1)
        if let previous = lastSnapshotTick {
            let advanced = Int(snapshot.tick &- previous)
            if advanced > interval { metrics.snapshotsMissed += advanced / interval - 1 }
        }
        lastSnapshotTick = snapshot.tick
        if Int32(bitPattern: snapshot.ackSeq &- ackedThrough) > 0 {
            let sentThrough = nextSeq &- 1
            let upTo = Int32(bitPattern: snapshot.ackSeq &- sentThrough) > 0 ? sentThrough : snapshot.ackSeq
            var seq = ackedThrough &+ 1
            while Int32(bitPattern: upTo &- seq) >= 0 {
                if sentThrough &- seq < Self.pendingWindow {
                    metrics.inputAckLatency.record(nanoseconds: now &- sentAt[Int(seq % Self.pendingWindow)])
                }
                seq &+= 1
            }
            ackedThrough = snapshot.ackSeq
        }
        if let welcome {
            decided = brain.decide(snapshot: snapshot, ownID: welcome.playerId, map: mapInfo)
            // The bot aims at the latest snapshot: that is the tick it sees (lag compensation).
            decided.viewTick = UInt16(truncatingIfNeeded: snapshot.tick)
        }
        guard predictor.hasMap else { return }
        let aliveTicks = predictor.aliveTicks
        let contact = predictor.touchesAnotherShip(in: snapshot, ownID: welcome?.playerId ?? 0, ticks: interval)
        if case .corrected = predictor.reconcile(own: snapshot.own, ackSeq: snapshot.ackSeq, tick: snapshot.tick) {
            metrics.netcode.ownCorrections += 1
            if contact || contactInLastSnapshot { metrics.netcode.ownCorrectionsInContact += 1 }
            metrics.timeline.record(.correction, at: now)
        }
        contactInLastSnapshot = contact
        if let tickRate = welcome?.tickRate, tickRate > 0 {
            metrics.netcode.aliveSeconds += Double(predictor.aliveTicks - aliveTicks) / Double(tickRate)
        }
    }

    // MARK: Sending

    /// One tick's Input, as the brain decided from the latest snapshot; a Ping once a second.
    func tick(now: UInt64) {
        guard state == .playing, pendingOut.isEmpty else { return }
        var input = decided
        input.seq = nextSeq
        guard encode({ (w: inout BitWriter) throws(WireError) in try input.encodeMessage(into: &w) }) else { return }
        switch sendFrame() {
        case .complete, .partial:
            break
        case .wouldBlock, .failed:
            return
        }
        predictor.sent(seq: input.seq, moveX: input.moveX, moveY: input.moveY)
        sentAt[Int(nextSeq % Self.pendingWindow)] = now
        nextSeq &+= 1
        home.metrics.inputsSent += 1
        if now &- lastPingAt >= Self.pingInterval, pendingOut.isEmpty {
            lastPingAt = now
            pingNonce &+= 1
            let ping = Ping(nonce: pingNonce, clientTime: now)
            if encode({ (w: inout BitWriter) throws(WireError) in try ping.encodeMessage(into: &w) }) { sendFrame() }
        }
    }

    /// Encodes a message into the reused writer and frames it; false (connection closed) if the
    /// encoder refused what we filled in.
    private func encode(_ body: (inout BitWriter) throws(WireError) -> Void) -> Bool {
        do throws(WireError) {
            try body(&writer)
        } catch {
            if home.counters.firstError == nil { home.counters.firstError = "encode failed: \(error)" }
            protocolError()
            return false
        }
        let ok = writer.bytes.withUnsafeBytes { frame.set(opcode: ClientFrames.binary, payload: $0) }
        if ok { home.countOut(payload: writer.bytes.count, wire: frame.bytes.count) }
        return ok
    }

    /// Writes `frame`; a partial write keeps the rest for when the socket is writable again.
    @discardableResult
    private func sendFrame() -> LoadSocket.WriteResult {
        guard fd >= 0 else { return .failed }
        guard pendingOut.isEmpty else {
            pendingOut.append(contentsOf: frame.bytes)
            return .partial(0)
        }
        let result = LoadSocket.write(fd, frame.bytes)
        switch result {
        case .complete:
            break
        case .partial(let n):
            pendingOut = Array(UnsafeRawBufferPointer(rebasing: frame.bytes[n...]))
            LoadSocket.epollControl(home.epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable | LoadSocket.writable, token: token)
        case .wouldBlock:
            home.skippedSends += 1
        case .failed:
            dropped(code: "none")
        }
        return result
    }

    /// Sends a rare, already framed message (Hello, close) behind anything pending.
    private func send(_ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        guard pendingOut.isEmpty else { pendingOut += bytes; return }
        switch bytes.withUnsafeBytes({ LoadSocket.write(fd, $0) }) {
        case .complete: break
        case .partial(let n):
            pendingOut = Array(bytes[n...])
            LoadSocket.epollControl(home.epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable | LoadSocket.writable, token: token)
        case .wouldBlock:
            pendingOut = bytes
            LoadSocket.epollControl(home.epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable | LoadSocket.writable, token: token)
        case .failed:
            if state != .closing { dropped(code: "none") } else { closeSocket() }
        }
    }

    private func flush() {
        guard fd >= 0, !pendingOut.isEmpty else { return }
        switch pendingOut.withUnsafeBytes({ LoadSocket.write(fd, $0) }) {
        case .complete:
            pendingOut = []
            LoadSocket.epollControl(home.epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable, token: token)
        case .partial(let n): pendingOut.removeFirst(n)
        case .wouldBlock: break
        case .failed: if state != .closing { dropped(code: "none") } else { closeSocket() }
        }
    }

    // MARK: Ending

    private func connectFailed(_ reason: String) {
        home.counters.failedConnects += 1
        if home.counters.firstError == nil { home.counters.firstError = reason }
        closeSocket()
    }

    /// The server closed (with `code`, or "none" without a close frame) or the link broke.
    private func dropped(code: String) {
        leave(now: LoadSocket.now())
        if !stopping { home.counters.disconnects[code, default: 0] += 1 }
        closeSocket()
    }

    private func protocolError() {
        home.counters.protocolErrors += 1
        leave(now: LoadSocket.now())
        send(ClientFrames.close(code: 1002))
        closeSocket()
    }

    /// Adds the time played so far to the thread's bot-seconds.
    private func leave(now: UInt64) {
        guard let joinedAt else { return }
        home.counters.playedNanoseconds += now &- joinedAt
        home.counters.connected -= 1
        self.joinedAt = nil
    }

    /// Nanoseconds of the current connection so far, for rates sampled while bots play.
    func playingFor(now: UInt64) -> UInt64 {
        joinedAt.map { now &- $0 } ?? 0
    }

    private func closeSocket() {
        if fd >= 0 { close(fd) }
        fd = -1
        pendingOut = []
        state = .closed
    }
}
#endif
