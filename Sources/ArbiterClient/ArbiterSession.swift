import ArbiterProtocol
import Arena
import NIOCore
import NIOWebSocket

/// One player's session with an Arbiter server, on top of ``WebSocketConnection``: Hello,
/// Welcome, MapInfo, Snapshots (through the generated decoder, which keeps the delta baseline),
/// an Input every tick with consecutive sequence numbers, Pings, and resuming with the Welcome
/// token after the connection drops.
///
/// Threading: the session lives on one event loop; create it, call `start`/`stop`, and read its
/// properties there. Its delegate is called there. Per-session state is small (a decoder
/// baseline, a ring of pending input times, one reused encode buffer); histograms live in the
/// loop's shared ``SessionMetrics``, and Input sends are driven by the loop's ``SessionTicker``.
public final class ArbiterSession: WebSocketConnectionDelegate {
    public struct Configuration: Sendable {
        public var name: String
        public var transport = WebSocketClientConfiguration()
        /// Resolved once and reused for every connect, so a thousand bots do not each resolve.
        public var address: SocketAddress?
        /// Try to come back as the same player after an unexpected drop.
        public var reconnect = true
        public var reconnectDelay: TimeAmount = .milliseconds(500)
        /// Consecutive failed connects before giving up.
        public var maxReconnectAttempts = 10
        public var pingInterval: TimeAmount? = .seconds(1)
        /// Inputs kept for ack-latency measurement; older ones count as unacked.
        public var pendingInputWindow = 64

        public init(name: String) {
            self.name = name
        }
    }

    public enum State: Equatable, Sendable {
        case idle, connecting, awaitingWelcome, playing, reconnectWait, stopped
    }

    public let url: WebSocketURL
    public let configuration: Configuration
    public let eventLoop: any EventLoop
    public let metrics: SessionMetrics
    public let ticker: SessionTicker
    public weak var delegate: (any ArbiterSessionDelegate)?

    public private(set) var state = State.idle
    public private(set) var welcome: Welcome?
    public private(set) var mapInfo: MapInfo?
    /// The last kick received, if any.
    public private(set) var lastKick: Kick?
    public private(set) var lastCloseInfo: WebSocketCloseInfo?
    public private(set) var nextSeq: UInt32 = 1
    /// Highest ackSeq seen.
    public private(set) var ackSeq: UInt32 = 0
    public var latestSnapshot: Snapshot? { self.decoder.snapshotBaseline }
    /// The own ship as predicted now (subunits), once MapInfo and a Snapshot have arrived.
    public var predictedOwnShip: PlayerMovement.State? { self.predictor.hasMap ? self.predictor.predicted : nil }

    private var connection: WebSocketConnection?
    private var decoder = ServerMessageDecoder()
    private var writer = BitWriter(capacity: 64)
    private var pending: PendingInputs
    /// How many Inputs each tick sends, from the server's reports (Protocol/README.md §5.1);
    /// made anew at each Welcome.
    private var pacer: InputPacer?
    private var predictor = OwnShipPredictor()
    private var remoteShips = RemoteShipWatch()
    private var playout = PlayoutClock()
    private var resumeToken: [UInt8]?
    private var lastSnapshotAt: UInt64?
    private var lastSnapshotTick: UInt32?
    private var lastPingAt: UInt64 = 0
    private var pingNonce: UInt32 = 0
    private var failedAttempts = 0
    private var reconnectTask: Scheduled<Void>?
    var tickerIndex: Int?

    /// Call on `ticker.eventLoop`. `metrics` is usually shared by all sessions of the loop.
    public init(url: WebSocketURL, configuration: Configuration, ticker: SessionTicker, metrics: SessionMetrics) {
        ticker.eventLoop.preconditionInEventLoop()
        self.url = url
        self.configuration = configuration
        self.eventLoop = ticker.eventLoop
        self.ticker = ticker
        self.metrics = metrics
        self.pending = PendingInputs(capacity: configuration.pendingInputWindow)
    }

    /// Transport counters of the current connection (ended ones are in `metrics.closedTransport`).
    public var liveTransport: WebSocketStatistics {
        self.connection?.statistics ?? WebSocketStatistics()
    }

    public func start() {
        self.eventLoop.assertInEventLoop()
        guard self.state == .idle || self.state == .reconnectWait else { return }
        self.state = .connecting
        let started = NIODeadline.now()
        WebSocketClient.connect(
            to: self.url,
            address: self.configuration.address,
            configuration: self.configuration.transport,
            on: self.eventLoop,
            delegate: self
        ).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let connection):
                self.metrics.connectTime.record(.now() - started)
                if self.state == .stopped {
                    connection.close(code: .goingAway)
                }
            case .failure(let error):
                self.metrics.connectFailures += 1
                self.connectFailed(error)
            }
        }
    }

    /// Leaves for good: closes with 1000 and cancels any reconnect.
    public func stop(reason: String = "bye") {
        self.eventLoop.assertInEventLoop()
        self.state = .stopped
        self.reconnectTask?.cancel()
        self.reconnectTask = nil
        self.ticker.remove(self)
        self.connection?.close(code: .normalClosure, reason: reason)
    }

    // MARK: WebSocketConnectionDelegate

    public func webSocketDidOpen(_ connection: WebSocketConnection) {
        self.connection = connection
        self.decoder = ServerMessageDecoder()
        self.lastSnapshotAt = nil
        self.lastSnapshotTick = nil
        self.predictor.reset()
        self.remoteShips.reset()
        self.playout.reset()
        guard self.state != .stopped else { return }
        self.state = .awaitingWelcome
        let hello = Hello(
            protocolVersion: ArenaProtocol.version,
            schemaHash: ArenaProtocol.schemaHash,
            name: self.configuration.name,
            resumeToken: self.resumeToken
        )
        self.send { (writer: inout BitWriter) throws(WireError) in try hello.encodeMessage(into: &writer) }
    }

    public func webSocket(_ connection: WebSocketConnection, didReceive message: ByteBuffer) {
        let decoded: Result<ServerMessage, WireError> = message.withUnsafeReadableBytes { bytes in
            do throws(WireError) { return .success(try self.decoder.decode(bytes)) } catch { return .failure(error) }
        }
        switch decoded {
        case .success(let message): self.handle(message)
        case .failure(let error):
            self.metrics.decodeErrors += 1
            connection.close(code: .protocolError, reason: "undecodable: \(error)")
        }
    }

    public func webSocket(_ connection: WebSocketConnection, didCloseWith info: WebSocketCloseInfo) {
        self.metrics.closedTransport += connection.statistics
        self.metrics.inputsUnacked += self.pending.count
        self.pending.removeAll()
        self.connection = nil
        self.lastCloseInfo = info
        self.ticker.remove(self)
        if self.state == .awaitingWelcome { self.failedAttempts += 1 }
        let canResume = self.configuration.reconnect && self.resumeToken != nil
            && (self.state == .playing || self.state == .awaitingWelcome)
            && self.failedAttempts < self.configuration.maxReconnectAttempts
            && !Self.isFinal(self.lastKick?.reason)
        if self.state != .stopped { self.metrics.drops += 1 }
        if canResume {
            self.scheduleReconnect()
        } else if self.state != .stopped {
            self.state = .stopped
        }
        self.delegate?.session(self, didDisconnect: info, willReconnect: self.state == .reconnectWait)
    }

    // MARK: Messages

    private func handle(_ message: ServerMessage) {
        switch message {
        case .welcome(let welcome):
            self.welcome = welcome
            self.metrics.joins += 1
            if self.resumeToken != nil {
                if welcome.resumed { self.metrics.resumes += 1 } else { self.metrics.resumeRejected += 1 }
            }
            if !welcome.resumed {
                // A new player: the server counts this player's inputs from scratch.
                self.nextSeq = 1
                self.ackSeq = 0
            }
            self.resumeToken = welcome.resumeToken
            self.failedAttempts = 0
            self.lastKick = nil
            self.pacer = InputPacer(reportsPerSecond: welcome.tickRate / max(1, welcome.snapshotInterval))
            self.state = .playing
            self.ticker.add(self)
            self.delegate?.session(self, didJoin: welcome)
        case .mapInfo(let mapInfo):
            self.mapInfo = mapInfo
            self.predictor.setMap(mapInfo)
            self.remoteShips.setMap(mapInfo, ownID: self.welcome?.playerId ?? 0)
            self.delegate?.session(self, didReceive: mapInfo)
        case .snapshot(let snapshot):
            self.snapshotArrived(snapshot)
            self.delegate?.session(self, didReceive: snapshot)
        case .pong(let pong):
            let now = NIODeadline.now().uptimeNanoseconds
            if now >= pong.clientTime { self.metrics.roundTrip.record(nanoseconds: now - pong.clientTime) }
        case .kick(let kick):
            self.lastKick = kick
            self.metrics.kicks += 1
            self.delegate?.session(self, wasKicked: kick)
        }
    }

    private func snapshotArrived(_ snapshot: Snapshot) {
        let now = NIODeadline.now().uptimeNanoseconds
        self.metrics.snapshotsReceived += 1
        if let last = self.lastSnapshotAt { self.metrics.snapshotGap.record(nanoseconds: now - last) }
        self.lastSnapshotAt = now
        if let lastTick = self.lastSnapshotTick, let interval = self.welcome?.snapshotInterval, interval > 0 {
            let advanced = Int(snapshot.tick &- lastTick)
            if advanced > interval { self.metrics.snapshotsMissed += advanced / interval - 1 }
        }
        self.lastSnapshotTick = snapshot.tick
        if Int32(bitPattern: snapshot.ackSeq &- self.ackSeq) > 0 { self.ackSeq = snapshot.ackSeq }
        self.pacer?.observe(
            inputBuffer: snapshot.inputBuffer, ackSeq: snapshot.ackSeq, heldTicks: snapshot.own.heldTicks, nextSeq: self.nextSeq)
        let metrics = self.metrics
        self.pending.acknowledge(through: snapshot.ackSeq) { sentAt in
            metrics.inputAckLatency.record(nanoseconds: now &- sentAt)
        }
        self.watchShips(snapshot, now: now)
    }

    /// Prediction and the remote-ship watch: corrections, freezes, holds and jumps into the metrics.
    private func watchShips(_ snapshot: Snapshot, now: UInt64) {
        let metrics = self.metrics
        metrics.timeline.record(.snapshot, at: now)
        let interval = self.welcome?.snapshotInterval ?? 1
        if self.predictor.observe(
            snapshot, ownID: self.welcome?.playerId ?? 0, interval: interval, tickRate: self.welcome?.tickRate ?? 0,
            into: &metrics.netcode)
        {
            metrics.timeline.record(.correction, at: now)
        }
        let late = self.playout.arrivedLate(tick: snapshot.tick, at: now, tickRate: self.welcome?.tickRate ?? 0, interval: interval)
        let findings = self.remoteShips.observe(snapshot, interval: interval, late: late)
        if findings.freezes > 0 {
            metrics.netcode.remoteFreezes += findings.freezes
            metrics.timeline.record(.freeze, at: now, count: findings.freezes)
        }
        metrics.netcode.remoteSteps += findings.steps
        if findings.holds > 0 {
            metrics.netcode.remoteHolds += findings.holds
            metrics.timeline.record(.hold, at: now, count: findings.holds)
        }
        if findings.jumps > 0 {
            metrics.netcode.remoteJumps += findings.jumps
            metrics.timeline.record(.jump, at: now, count: findings.jumps)
        }
    }

    // MARK: Sending

    /// Called by the ticker once per tick while playing: the Inputs the pacer says are due (one,
    /// or while it steers the server's queue, now and then none or two), then a Ping when due.
    func tick(now: NIODeadline) {
        guard self.state == .playing, self.connection != nil else { return }
        for _ in 0..<(self.pacer?.inputsDue() ?? 1) {
            guard self.sendInput(now: now) else { return }
        }
        let time = now.uptimeNanoseconds
        if let pingInterval = self.configuration.pingInterval,
            time &- self.lastPingAt >= UInt64(pingInterval.nanoseconds)
        {
            self.lastPingAt = time
            self.pingNonce &+= 1
            let ping = Ping(nonce: self.pingNonce, clientTime: NIODeadline.now().uptimeNanoseconds)
            self.send { (writer: inout BitWriter) throws(WireError) in try ping.encodeMessage(into: &writer) }
        }
    }

    /// One Input, as the delegate fills it in; false if the connection refused it.
    private func sendInput(now: NIODeadline) -> Bool {
        var input = Input(seq: self.nextSeq)
        self.delegate?.session(self, willSend: &input)
        input.seq = self.nextSeq
        guard self.send({ (writer: inout BitWriter) throws(WireError) in try input.encodeMessage(into: &writer) }) else {
            return false
        }
        self.predictor.sent(seq: input.seq, moveX: input.moveX, moveY: input.moveY)
        if self.pending.push(seq: self.nextSeq, at: now.uptimeNanoseconds) { self.metrics.inputsUnacked += 1 }
        self.nextSeq &+= 1
        self.metrics.inputsSent += 1
        return true
    }

    /// Encodes into the reused writer and sends. An encode failure is a bug in what we filled in
    /// (e.g. a name too long): it closes the connection rather than sending garbage.
    @discardableResult
    private func send(_ encode: (inout BitWriter) throws(WireError) -> Void) -> Bool {
        guard let connection = self.connection else { return false }
        do throws(WireError) {
            try encode(&self.writer)
        } catch {
            connection.close(code: .policyViolation, reason: "encode failed: \(error)")
            return false
        }
        return connection.send(bytes: self.writer.bytes)
    }

    // MARK: Reconnecting

    private func connectFailed(_ error: any Error) {
        guard self.state != .stopped else { return }
        self.failedAttempts += 1
        let retry = self.configuration.reconnect && self.resumeToken != nil
            && self.failedAttempts < self.configuration.maxReconnectAttempts
        if retry {
            self.scheduleReconnect()
        } else {
            self.state = .stopped
        }
        self.delegate?.session(self, connectFailed: error, willRetry: retry)
    }

    private func scheduleReconnect() {
        self.state = .reconnectWait
        let delay = TimeAmount.nanoseconds(self.configuration.reconnectDelay.nanoseconds * Int64(1 + min(self.failedAttempts, 8)))
        self.reconnectTask = self.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.reconnectTask = nil
            self.start()
        }
    }

    /// Kicks after which coming back makes no sense.
    private static func isFinal(_ reason: KickReason?) -> Bool {
        switch reason {
        case .protocolMismatch?, .badName?, .kicked?, .unknownRoom?, .shuttingDown?, .roomFull?: true
        default: false
        }
    }
}
