#if canImport(Glibc)
import ArbiterClient
import ArbiterProtocol
import ArbiterWebSocket
import Arena
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

    let index: Int
    let token: UInt64
    let name: String
    /// The thread owns its bots and outlives them; `unowned(unsafe)` skips the reference count
    /// check on every access (one per counter update, thousands per tick).
    unowned(unsafe) let home: LeanBotThread
    var state = State.idle
    var fd: Int32 = -1
    /// Connect/join, close or silence deadline for the current state.
    var deadline: UInt64 = 0
    var buffer = WebSocketFrameBuffer()
    var decoder = ServerMessageDecoder()
    var brain: BotBrain
    /// From Welcome: only the numbers are kept, so reading them per snapshot copies nothing.
    var playerID: UInt32 = 0
    var snapshotInterval = 1
    var serverTickRate = 0
    var mapInfo: MapInfo?
    var predictor = OwnShipPredictor()
    /// The brain's decision from the latest snapshot, sent every tick until the next one (the
    /// brain decides only when a snapshot is new, so deciding on arrival is the same decision
    /// without copying the snapshot out of the decoder each tick).
    var decided = Input()
    var writer = BitWriter(capacity: 64)
    var frame = SmallClientFrame()
    /// The unsent end of a partly written frame; inputs wait until it is out.
    var pendingOut: [UInt8] = []
    var nextSeq: UInt32 = 1
    var ackTimes = InputAckTimes()
    /// How many Inputs each tick sends, from the server's reports (nil until Welcome).
    var pacer: InputPacer?
    var lastSnapshotAt: UInt64?
    var lastSnapshotTick: UInt32?
    var lastHeard: UInt64 = 0
    var lastPingAt: UInt64 = 0
    var pingNonce: UInt32 = 0
    var joinedAt: UInt64?
    var everJoined = false
    /// Set when the fleet stops: the close that follows is ours, not a drop.
    var stopping = false

    init(index: Int, token: UInt64, name: String, brain: BotBrain, home: LeanBotThread) {
        self.index = index
        self.token = token
        self.name = name
        self.brain = brain
        self.home = home
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    var isPlaying: Bool { state == .playing }
    var isOpen: Bool { fd >= 0 }
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
            home.transport.wireBytesIn += payload.count + WebSocketFrameHeader.size(payloadLength: payload.count, masked: false)
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

    // MARK: Sending

    /// Writes `frame`; a partial write keeps the rest for when the socket is writable again.
    @discardableResult
    func sendFrame() -> LoadSocket.WriteResult {
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

    func protocolError() {
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
