import ArbiterClient
import ArbiterProtocol
import ArenaBot
import NIOCore
import NIOWebSocket

/// One bot: the session's delegate, deciding each Input with its `BotBrain` from the session's
/// latest snapshot, and counting what happens to it in its loop's `FleetLoop`. Event loop only.
final class BotPlayer: ArbiterSessionDelegate {
    unowned let home: FleetLoop
    let index: Int
    var brain: BotBrain
    var session: ArbiterSession!
    private var joinedAt: UInt64?
    private var everJoined = false
    var stopping = false
    /// Stopped while connected: the close has not finished yet.
    var awaitingClose = false
    /// Send times by seq (ring), only for the watched bot: its own input→ack time for the view.
    private var sentAt: [UInt64]?
    private var lastAck: UInt32 = 0
    private(set) var lastAckNanoseconds: UInt64?

    init(home: FleetLoop, index: Int, brain: BotBrain, watched: Bool) {
        self.home = home
        self.index = index
        self.brain = brain
        if watched { sentAt = Array(repeating: 0, count: 128) }
    }

    var isPlaying: Bool { joinedAt != nil }

    func session(_ session: ArbiterSession, didJoin welcome: Welcome) {
        session.ticker.setTickRate(welcome.tickRate)
        if joinedAt == nil {
            joinedAt = NIODeadline.now().uptimeNanoseconds
            home.counters.connected += 1
        }
        if !everJoined {
            everJoined = true
            home.counters.joinedBots += 1
        }
    }

    func session(_ session: ArbiterSession, willSend input: inout Input) {
        if let snapshot = session.latestSnapshot, let welcome = session.welcome {
            let seq = input.seq
            input = brain.decide(snapshot: snapshot, ownID: welcome.playerId, map: session.mapInfo)
            input.seq = seq
            // The bot aims at the latest snapshot: that is the tick it sees (lag compensation).
            input.viewTick = UInt16(truncatingIfNeeded: snapshot.tick)
        }
        if sentAt != nil { sentAt![Int(input.seq % 128)] = NIODeadline.now().uptimeNanoseconds }
    }

    func session(_ session: ArbiterSession, didReceive snapshot: Snapshot) {
        guard let sentAt, snapshot.ackSeq != lastAck, session.nextSeq &- snapshot.ackSeq < 128 else { return }
        lastAck = snapshot.ackSeq
        let sent = sentAt[Int(snapshot.ackSeq % 128)]
        let now = NIODeadline.now().uptimeNanoseconds
        if sent > 0, now >= sent { lastAckNanoseconds = now - sent }
    }

    func session(_ session: ArbiterSession, wasKicked kick: Kick) {
        home.counters.kicks[kick.reason.name, default: 0] += 1
        if kick.reason == .malformed || kick.reason == .protocolMismatch { home.counters.protocolErrors += 1 }
    }

    func session(_ session: ArbiterSession, didDisconnect info: WebSocketCloseInfo, willReconnect: Bool) {
        leave()
        awaitingClose = false
        if Self.isProtocolError(info.receivedCode) || Self.isProtocolError(info.sentCode) {
            home.counters.protocolErrors += 1
        }
        guard !stopping else { return }
        let code = info.receivedCode.map { String(UInt16(webSocketErrorCode: $0)) } ?? "none"
        home.counters.disconnects[code, default: 0] += 1
    }

    func session(_ session: ArbiterSession, connectFailed error: any Error, willRetry: Bool) {
        home.counters.failedConnects += 1
        if home.counters.firstError == nil { home.counters.firstError = "\(error)" }
    }

    /// Adds the time played so far to the loop's bot-seconds.
    func leave() {
        guard let joinedAt else { return }
        home.counters.playedNanoseconds += NIODeadline.now().uptimeNanoseconds - joinedAt
        home.counters.connected -= 1
        self.joinedAt = nil
    }

    /// Nanoseconds of the current connection so far, for rates sampled while bots play.
    func playingFor(now: UInt64) -> UInt64 {
        joinedAt.map { now &- $0 } ?? 0
    }

    static func isProtocolError(_ code: WebSocketErrorCode?) -> Bool {
        switch code {
        case .protocolError?, .unacceptableData?, .dataInconsistentWithMessage?, .messageTooLarge?: true
        default: false
        }
    }
}
