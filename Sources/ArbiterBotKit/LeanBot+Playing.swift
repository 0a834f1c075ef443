#if canImport(Glibc)
import ArbiterClient
import ArbiterProtocol
import Arena
import LeanSocket

/// What a lean bot does with the messages it decodes and the Inputs it sends.
extension LeanBot {
    func message(_ bytes: UnsafeRawBufferPointer, now: UInt64) {
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
            playerID = welcome.playerId
            snapshotInterval = max(1, welcome.snapshotInterval)
            serverTickRate = welcome.tickRate
            pacer = InputPacer(reportsPerSecond: welcome.tickRate / max(1, welcome.snapshotInterval))
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
        let interval = snapshotInterval
        if let previous = lastSnapshotTick {
            let advanced = Int(snapshot.tick &- previous)
            if advanced > interval { metrics.snapshotsMissed += advanced / interval - 1 }
        }
        lastSnapshotTick = snapshot.tick
        ackTimes.acknowledge(snapshot.ackSeq, nextSeq: nextSeq, now: now) { metrics.inputAckLatency.record(nanoseconds: $0) }
        pacer?.observe(inputBuffer: snapshot.inputBuffer, ackSeq: snapshot.ackSeq, heldTicks: snapshot.own.heldTicks, nextSeq: nextSeq)
        decided = brain.decide(snapshot: snapshot, ownID: playerID, map: mapInfo)
        // The bot aims at the latest snapshot: that is the tick it sees (lag compensation).
        decided.viewTick = UInt16(truncatingIfNeeded: snapshot.tick)
        // One mutating call on the predictor (reading its properties off the class one by one
        // would copy the whole struct, and retain its arrays, each time).
        guard predictor.hasMap else { return }
        if predictor.observe(snapshot, ownID: playerID, interval: interval, tickRate: serverTickRate, into: &metrics.netcode) {
            metrics.timeline.record(.correction, at: now)
        }
    }

    /// One tick of the bot's clock: the Inputs the pacer says are due (one, or while it steers
    /// the server's queue, now and then none or two), as the brain decided from the latest
    /// snapshot; a Ping once a second.
    func tick(now: UInt64) {
        guard state == .playing else { return }
        for _ in 0..<(pacer?.inputsDue() ?? 1) where pendingOut.isEmpty {
            guard sendInput(now: now) else { return }
        }
        if now &- lastPingAt >= Self.pingInterval, pendingOut.isEmpty {
            lastPingAt = now
            pingNonce &+= 1
            let ping = Ping(nonce: pingNonce, clientTime: now)
            if encode({ (w: inout BitWriter) throws(WireError) in try ping.encodeMessage(into: &w) }) { sendFrame() }
        }
    }

    /// One Input; false if the connection could not take it.
    private func sendInput(now: UInt64) -> Bool {
        var input = decided
        input.seq = nextSeq
        guard encode({ (w: inout BitWriter) throws(WireError) in try input.encodeMessage(into: &w) }) else { return false }
        switch sendFrame() {
        case .complete, .partial:
            break
        case .wouldBlock, .failed:
            return false
        }
        predictor.sent(seq: input.seq, moveX: input.moveX, moveY: input.moveY)
        ackTimes.sent(seq: nextSeq, at: now)
        nextSeq &+= 1
        home.metrics.inputsSent += 1
        return true
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
}
#endif
