import ArbiterClient
import Dispatch
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The full-screen view of the fleet's watched bot: redraws at a steady rate, follows resizes
/// (SIGWINCH, size read with TIOCGWINSZ each frame), and calls `quit` on `q` or Ctrl-C.
public final class BotViewer: @unchecked Sendable {
    let fleet: BotFleet
    let terminal: Terminal
    let framesPerSecond: Int
    private let queue = DispatchQueue(label: "arbiter-bot.view")
    private var keys: (any DispatchSourceRead)?
    private var resize: (any DispatchSourceSignal)?
    private var timer: (any DispatchSourceTimer)?
    private var needsClear = true
    private var lastSize: (columns: Int, rows: Int)?
    private var rate = (at: NIODeadline.now(), bytesIn: 0, bytesOut: 0, kIn: 0.0, kOut: 0.0)

    public init(fleet: BotFleet, terminal: Terminal = Terminal(), framesPerSecond: Int = 15) {
        self.fleet = fleet
        self.terminal = terminal
        self.framesPerSecond = framesPerSecond
    }

    public func start(quit: @escaping @Sendable () -> Void) {
        terminal.enter()
        let keys = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: queue)
        keys.setEventHandler {
            var byte: UInt8 = 0
            guard read(STDIN_FILENO, &byte, 1) == 1 else { return }
            if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 { quit() }
        }
        keys.resume()
        self.keys = keys
        signal(SIGWINCH, SIG_IGN)
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: queue)
        resize.setEventHandler { [unowned self] in
            self.needsClear = true
            self.frame()
        }
        resize.resume()
        self.resize = resize
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: .milliseconds(1000 / max(1, framesPerSecond)))
        timer.setEventHandler { [unowned self] in self.frame() }
        timer.resume()
        self.timer = timer
    }

    public func stop() {
        queue.sync {
            timer?.cancel()
            keys?.cancel()
            resize?.cancel()
            timer = nil
            keys = nil
            resize = nil
            terminal.restore()
        }
    }

    /// On `queue`: copies the watched bot's state on its loop, renders, draws.
    private func frame() {
        guard timer != nil else { return }
        let state = fetchState()
        let size = terminal.size() ?? (columns: 80, rows: 24)
        if lastSize?.columns != size.columns || lastSize?.rows != size.rows { needsClear = true }
        lastSize = size
        terminal.draw(ArenaScreen.render(state, columns: size.columns, rows: size.rows), clear: needsClear)
        needsClear = false
    }

    private func fetchState() -> ArenaScreenState {
        let result = fleet.withWatchedBot { watch in
            var state = ArenaScreenState()
            let session = watch.session
            state.name = session.configuration.name
            state.map = session.mapInfo
            state.snapshot = session.latestSnapshot
            state.ownID = session.welcome?.playerId ?? 0
            state.room = session.welcome?.room ?? ""
            state.tickRate = session.welcome?.tickRate ?? 60
            state.pingMilliseconds = watch.inputAckNanoseconds.map { Double($0) / 1e6 }
            switch session.state {
            case .playing: state.status = "playing"
            case .stopped: state.status = "disconnected: " + (session.lastCloseInfo.map { "\($0)" } ?? "connect failed")
            case .reconnectWait: state.status = "reconnecting"
            default: state.status = "connecting to \(session.url)"
            }
            if session.state == .stopped { state.snapshot = nil }
            let transport = session.liveTransport
            return (state, transport.wireBytesIn, transport.wireBytesOut)
        }
        guard let result else {
            var state = ArenaScreenState()
            state.status = "waiting for the bot to start"
            return state
        }
        var state = result.0
        let bytesIn = result.1, bytesOut = result.2
        let now = NIODeadline.now()
        let elapsed = Double((now - rate.at).nanoseconds) / 1e9
        if elapsed >= 1 {
            // A new connection restarts its counters: treat a drop as a fresh start.
            rate.kIn = bytesIn >= rate.bytesIn ? Double(bytesIn - rate.bytesIn) / elapsed / 1000 : 0
            rate.kOut = bytesOut >= rate.bytesOut ? Double(bytesOut - rate.bytesOut) / elapsed / 1000 : 0
            rate = (now, bytesIn, bytesOut, rate.kIn, rate.kOut)
        }
        state.kilobytesInPerSecond = rate.kIn
        state.kilobytesOutPerSecond = rate.kOut
        return state
    }
}
