#if canImport(Glibc)
import ArbiterProtocol
import Arena
import Foundation
import CEpoll
import Glibc
import LeanSocket

/// One lean load bot: a raw socket through the WebSocket upgrade, Hello/Welcome/MapInfo with
/// the generated codec, then per tick one patched Input frame out and, per Snapshot, only the
/// header read (`SnapshotHeader`). Every `fullDecodeEvery`-th bot decodes everything with the
/// generated decoder instead, so the codec is still exercised end to end under load.
/// Lives on one `LoadThread`, which owns its epoll set.
final class LoadConnection {
    enum State: Equatable { case idle, connecting, upgrading, awaitingWelcome, playing, closed }

    let bot: Int
    private let token: UInt64
    private let epoll: Int32
    private(set) var state = State.idle
    private(set) var fd: Int32 = -1
    private var buffer = WebSocketFrameBuffer()
    private var decoder: ServerMessageDecoder?
    /// The last Snapshot's header: the delta baseline, and while a new one is counted, the
    /// tick and ack it is compared with.
    private var header: SnapshotHeader?
    private(set) var tickRate = 60
    private(set) var snapshotInterval = 1
    private var steering: WanderSteering
    private var input = InputFrame()
    private var nextSeq: UInt32 = 1
    private var ackTimes = InputAckTimes()
    /// How many inputs each tick of the load's clock sends (Protocol/README.md §5.1); nil until
    /// Welcome (it needs the tick rate), and always nil for a load run with `pacing` off.
    private var pacer: InputPacer?
    private let pacing: Bool
    /// The unsent end of a partly written frame; inputs are dropped until it is out.
    private var pendingOut: [UInt8] = []
    private var kicked = false

    init(bot: Int, token: UInt64, epoll: Int32, seed: UInt64, fullDecode: Bool, pacing: Bool) {
        self.bot = bot
        self.pacing = pacing
        self.token = token
        self.epoll = epoll
        self.steering = WanderSteering(seed: seed, bot: bot)
        self.decoder = fullDecode ? ServerMessageDecoder() : nil
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    var isFullDecoder: Bool { decoder != nil }

    func start(port: Int, counters: inout LoadCounters) {
        guard state == .idle, let fd = LoadSocket.connect(port: port) else {
            counters.connectFailures += 1
            state = .closed
            return
        }
        self.fd = fd
        state = .connecting
        LoadSocket.epollControl(epoll, EPOLL_CTL_ADD, fd: fd, events: LoadSocket.writable, token: token)
    }

    /// Leaves: a close frame with 1000, then the socket goes.
    func stop() {
        guard fd >= 0 else { return }
        if state == .playing || state == .awaitingWelcome {
            let frame = ClientFrames.close(code: 1000)
            _ = frame.withUnsafeBytes { LoadSocket.write(fd, $0) }
        }
        closeSocket()
    }

    // MARK: Events

    func handle(events: UInt32, now: UInt64, counters: inout LoadCounters) {
        if events & LoadSocket.writable != 0 {
            writable(counters: &counters)
        }
        if events & (LoadSocket.readable | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0, fd >= 0, state != .connecting {
            readable(now: now, counters: &counters)
        }
    }

    private func writable(counters: inout LoadCounters) {
        if state == .connecting {
            guard LoadSocket.pendingError(fd) == 0 else { return failHandshake(counters: &counters, protocolError: false) }
            guard LeanHandshake.request().withUnsafeBytes({ LoadSocket.write(fd, $0) }) == .complete else {
                return failHandshake(counters: &counters, protocolError: false)
            }
            state = .upgrading
            LoadSocket.epollControl(epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable, token: token)
            return
        }
        guard !pendingOut.isEmpty else { return }
        switch pendingOut.withUnsafeBytes({ LoadSocket.write(fd, $0) }) {
        case .complete:
            pendingOut = []
            LoadSocket.epollControl(epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable, token: token)
        case .partial(let n): pendingOut.removeFirst(n)
        case .wouldBlock: break
        case .failed: ended(counters: &counters)
        }
    }

    /// Reads until the socket is drained (edge-triggered epoll): a read that fills the space
    /// offered may have left more behind.
    private func readable(now: UInt64, counters: inout LoadCounters) {
        while fd >= 0 {
            let space = buffer.prepareForRead()
            let n = read(fd, space.baseAddress, space.count)
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                if state == .upgrading { return failHandshake(counters: &counters, protocolError: false) }
                return ended(counters: &counters)
            }
            guard n > 0 else { return }
            buffer.didRead(n)
            if state == .upgrading {
                guard upgrade(counters: &counters) else { if n < space.count { return } else { continue } }
            }
            receiveFrames(now: now, counters: &counters)
            if n < space.count { return }
        }
    }

    /// Checks the 101 response and its accept value; true once upgraded.
    private func upgrade(counters: inout LoadCounters) -> Bool {
        switch LeanHandshake.response(buffer.readable) {
        case .incomplete:
            return false
        case .refused:
            failHandshake(counters: &counters, protocolError: true)
            return false
        case .upgraded(let headerBytes):
            buffer.consume(headerBytes)
        }
        state = .awaitingWelcome
        guard let hello = try? ClientFrames.hello(name: "load-\(bot + 1)"),
              hello.withUnsafeBytes({ LoadSocket.write(fd, $0) }) == .complete else {
            failHandshake(counters: &counters, protocolError: false)
            return false
        }
        return true
    }

    private func receiveFrames(now: UInt64, counters: inout LoadCounters) {
        while fd >= 0 {
            let frame: WebSocketFrameBuffer.Frame
            do throws(WebSocketFrameBuffer.FramingError) {
                guard let next = try buffer.nextFrame() else { return }
                frame = next
            } catch {
                return protocolError(counters: &counters)
            }
            switch frame.opcode {
            case ClientFrames.binary where frame.fin:
                message(frame.payload, now: now, counters: &counters)
            case ClientFrames.close:
                var code: UInt16 = 1005
                if frame.payload.count >= 2 { code = UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) }
                if code >= 4000 && !kicked {
                    kicked = true
                    counters.kicks += 1
                }
                let reply = ClientFrames.close(code: code == 1005 ? 1000 : code)
                _ = reply.withUnsafeBytes { LoadSocket.write(fd, $0) }
                ended(counters: &counters)
            case ClientFrames.ping:
                let pong = ClientFrames.frame(opcode: ClientFrames.pong, payload: frame.payload)
                _ = pong.withUnsafeBytes { LoadSocket.write(fd, $0) }
            case ClientFrames.pong:
                break
            default:
                // Text, a continuation, a fragmented binary message or an unknown opcode: this
                // server sends none of them.
                protocolError(counters: &counters)
            }
        }
    }

    // MARK: Messages

    private func message(_ bytes: UnsafeRawBufferPointer, now: UInt64, counters: inout LoadCounters) {
        guard let id = bytes.first else { return protocolError(counters: &counters) }
        do throws(WireError) {
            if id == Snapshot.messageID {
                let read = try SnapshotHeader(message: bytes, baseline: header)
                if decoder != nil {
                    guard case .snapshot(let full) = try decoder!.decode(bytes),
                          full.tick == read.tick, full.ackSeq == read.ackSeq else {
                        return protocolError(counters: &counters)
                    }
                    counters.fullDecodes += 1
                }
                snapshotArrived(read, now: now, counters: &counters)
                header = read
                return
            }
            // Rare messages: the generated decoder (a lean bot's has no snapshot baseline, but
            // only gets the others).
            var oneOff = ServerMessageDecoder()
            let decoded = decoder != nil ? try decoder!.decode(bytes) : try oneOff.decode(bytes)
            switch decoded {
            case .welcome(let welcome):
                guard state == .awaitingWelcome else { return protocolError(counters: &counters) }
                tickRate = welcome.tickRate
                snapshotInterval = welcome.snapshotInterval
                if pacing { pacer = InputPacer(reportsPerSecond: tickRate / max(1, snapshotInterval)) }
                state = .playing
                counters.joins += 1
            case .mapInfo:
                // Decoded only to validate it: the bots wander without looking at the map.
                break
            case .kick:
                if !kicked {
                    kicked = true
                    counters.kicks += 1
                }
            case .pong, .snapshot:
                break
            }
        } catch {
            protocolError(counters: &counters)
        }
    }

    private func snapshotArrived(_ snapshot: SnapshotHeader, now: UInt64, counters: inout LoadCounters) {
        counters.snapshotsReceived += 1
        if let previous = header?.tick {
            let advanced = Int(snapshot.tick &- previous)
            if advanced > snapshotInterval { counters.snapshotsMissed += advanced / snapshotInterval - 1 }
        }
        // Held: fewer inputs taken than ticks went by, none left queued, and one of ours was
        // outstanding (a header-only reading of Own.heldTicks, which only a full decode has).
        let held = snapshot.inputBuffer == 0 && header.map { previous in
            Int(snapshot.ackSeq &- previous.ackSeq) < Int(snapshot.tick &- previous.tick)
                && previous.ackSeq &+ 1 != nextSeq
        } ?? false
        counters.queuedInputs += Int(snapshot.inputBuffer)
        if held { counters.holds += 1 }
        pacer?.observe(inputBuffer: Int(snapshot.inputBuffer), ackSeq: snapshot.ackSeq, held: held, nextSeq: nextSeq)
        ackTimes.acknowledge(snapshot.ackSeq, nextSeq: nextSeq, now: now) { counters.inputAck.record(nanoseconds: $0) }
    }

    // MARK: Input

    /// One tick of the load's clock: the Inputs the pacer says are due (one, or while it steers
    /// the server's queue, now and then none or two).
    func tick(now: UInt64, counters: inout LoadCounters) {
        guard state == .playing else { return }
        for _ in 0..<(pacer?.inputsDue() ?? 1) { sendInput(now: now, counters: &counters) }
    }

    /// One tick's Input; dropped (and counted) if the socket cannot take it now.
    private func sendInput(now: UInt64, counters: inout LoadCounters) {
        steering.step(tickRate: tickRate)
        guard pendingOut.isEmpty else {
            counters.inputsDropped += 1
            return
        }
        input.set(seq: nextSeq, moveX: steering.moveX, moveY: steering.moveY, aim: steering.aim, fire: steering.fire)
        let frame = input.bytes
        let result = withUnsafeBytes(of: frame) { LoadSocket.write(fd, UnsafeRawBufferPointer(rebasing: $0[..<InputFrame.size])) }
        switch result {
        case .complete:
            break
        case .partial(let n):
            pendingOut = withUnsafeBytes(of: frame) { Array($0[n..<InputFrame.size]) }
            LoadSocket.epollControl(epoll, EPOLL_CTL_MOD, fd: fd, events: LoadSocket.readable | LoadSocket.writable, token: token)
        case .wouldBlock:
            counters.inputsDropped += 1
            return
        case .failed:
            return ended(counters: &counters)
        }
        ackTimes.sent(seq: nextSeq, at: now)
        nextSeq &+= 1
        counters.inputsSent += 1
    }

    // MARK: Ending

    private func protocolError(counters: inout LoadCounters) {
        counters.protocolErrors += 1
        let frame = ClientFrames.close(code: 1002)
        _ = frame.withUnsafeBytes { LoadSocket.write(fd, $0) }
        ended(counters: &counters)
    }

    private func failHandshake(counters: inout LoadCounters, protocolError: Bool) {
        counters.connectFailures += 1
        if protocolError { counters.protocolErrors += 1 }
        closeSocket()
    }

    /// The connection is over without our asking.
    private func ended(counters: inout LoadCounters) {
        counters.closed += 1
        closeSocket()
    }

    private func closeSocket() {
        if fd >= 0 { close(fd) }
        fd = -1
        state = .closed
    }
}
#endif
