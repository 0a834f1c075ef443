import ArbiterServer
import ArbiterProtocol
import CoreMetrics
import Crypto
import NIOCore
import NIOPosix
import NIOWebSocket

/// One player's connection: carries out what its `SessionStateMachine` decides, and turns the
/// room's frames into this client's own delta snapshots.
///
/// Lives on its connection's event loop: every method runs there, which is why the baseline,
/// the scratch snapshot and the writability need no lock.
final class PlayerSession: RoomMember {
    typealias Frame = ArenaFrame

    private let connection: ServerWebSocket
    /// The room joined, or being asked to take the player.
    private var room: RoomRuntime<ArenaRoomGame>
    /// Set for a quick-join (no `?room=`): where to try next when a room refuses as full.
    /// Cleared by a ticket that names a room: that player may join that room only.
    private var quickJoin: RoomRegistry<ArenaRoomGame>?
    /// Rooms that refused this quick-join as full.
    private var triedRooms: Set<Int> = []
    /// The client's address without the port (`JoinRequest.address`).
    private let address: String
    private var pendingJoin: (name: String, resumeToken: [UInt8]?)?
    /// Set when joins need a signed ticket (`--join-secret`).
    private let joinSecret: SymmetricKey?
    private let drain: ServerDrain
    /// Told when this session has joined and when it leaves (Agones player tracking).
    private let presence: PlayerPresence
    /// The name a join ticket vouched for: the player's id for the orchestrator.
    private var ticketName: String?
    /// The id `presence` has for this session while it plays.
    private var presenceID: String?
    private let scratch: EncoderScratch
    private let metrics: ServerMetrics
    private let encodeFailures: EncodeFailures
    private let inputMetrics: InputMetrics
    private var inputLimit: InputRateLimit
    private var machine = SessionStateMachine()
    private var decoder = ClientMessageDecoder()
    private var player: UInt32?
    private var attached = false
    private var handshakeTimer: Scheduled<Void>?
    /// The last Snapshot written to the socket, what the client decodes the next delta against,
    /// kept compactly: every field but the entity set (left empty here), which is kept as the
    /// slots in view, one bit each, of the frame it was built from: that frame says where each
    /// slot's wire entity is, for every session (a list of those places cost each session 4
    /// bytes per entity in view, about 1 KiB at 1,000 players).
    private var baseline = Snapshot()
    private var baselineSlots = SlotSet()
    /// The frame `baselineSlots` index; nil until a first snapshot is written.
    private var baselineFrame: ArenaFrame?
    private var latestTick: UInt32 = 0
    /// The newest frame skipped because the socket was full: sent when it drains.
    private var skippedFrame: ArenaFrame?

    init(
        connection: ServerWebSocket, room: RoomRuntime<ArenaRoomGame>, drain: ServerDrain, presence: PlayerPresence,
        quickJoin: RoomRegistry<ArenaRoomGame>?, address: String, joinSecret: SymmetricKey?, scratch: EncoderScratch,
        metrics: ServerMetrics, inputMetrics: InputMetrics, encodeFailures: EncodeFailures
    ) {
        self.joinSecret = joinSecret
        self.connection = connection
        self.room = room
        self.drain = drain
        self.presence = presence
        self.quickJoin = quickJoin
        self.address = address
        self.scratch = scratch
        self.metrics = metrics
        self.inputMetrics = inputMetrics
        self.encodeFailures = encodeFailures
        self.inputLimit = InputRateLimit(tickRate: room.tickRate, capacity: ArenaRoomGame.inputCapacity(tickRate: room.tickRate))
    }

    /// On the connection's loop, before any message arrives.
    func start(handshakeTimeout: TimeAmount) {
        connection.onMessage = { [self] buffer in received(buffer) }
        connection.onWritable = { [self] in
            if let frame = skippedFrame {
                skippedFrame = nil
                send(frame)
            }
        }
        connection.onClose = { [self] _ in closed() }
        let session = NIOLoopBound(self, eventLoop: connection.eventLoop)
        handshakeTimer = connection.eventLoop.scheduleTask(in: handshakeTimeout) {
            session.value.perform(session.value.machine.handshakeTimedOut())
        }
    }

    private func received(_ buffer: ByteBuffer) {
        let result = buffer.withUnsafeReadableBytes { raw in
            Result<ClientMessage, WireError> { () throws(WireError) -> ClientMessage in try decoder.decode(raw) }
        }
        switch result {
        case .success(let message):
            perform(machine.received(message, currentTick: latestTick))
        case .failure(let error):
            metrics.transport.protocolError(kind: error.code)
            perform(machine.receivedMalformed(error))
        }
    }

    private func perform(_ action: SessionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .join(let name, let token, let ticket):
            handshakeTimer?.cancel()
            if let joinSecret {
                switch JoinTicket.verify(ticket, secret: joinSecret, name: name, room: room.id, now: JoinTicket.now()) {
                case .failure(let failure):
                    perform(machine.joinRefused(.badTicket(failure)))
                    return
                case .success(let verified):
                    if verified.room != nil { quickJoin = nil }
                    ticketName = verified.name
                }
            }
            pendingJoin = (name, token)
            submitJoin()
        case .applyInput(let input):
            guard let player else { return }
            guard inputLimit.admit(now: Int64(NIODeadline.now().uptimeNanoseconds)) else {
                inputMetrics.floods.increment()
                perform(machine.serverClosed(.tooManyInputs))
                return
            }
            room.submit(.input(player: player, QueuedInput(input)))
        case .sendPong(let pong):
            sendMessage("Pong") { (w) throws(WireError) in try pong.encodeMessage(into: &w) }
        case .close(let reason):
            connection.end(reason, using: &scratch.writer)
            leaveRoom()
        }
    }

    private func submitJoin() {
        guard let pendingJoin else { return }
        let loop = connection.eventLoop
        let session = NIOLoopBound(self, eventLoop: loop)
        var request = JoinRequest(name: pendingJoin.name, resumeToken: pendingJoin.resumeToken, address: address) { result in
            loop.execute { session.value.joinCompleted(result) }
        }
        // While the instance drains only a resume gets in (the room knows the tokens).
        request.admitsNewPlayer = !drain.isDraining
        room.submit(.join(request), droppable: false)
    }

    private func joinCompleted(_ result: JoinResult) {
        switch result {
        case .joined(let welcome, let map):
            guard machine.state == .joining else {
                // The socket closed while the room was adding the player.
                room.submit(.leave(player: welcome.playerId), droppable: false)
                return
            }
            perform(machine.joined(player: welcome.playerId))
            player = welcome.playerId
            // A ticket's name is the backend's id for the player; without one, the seat is.
            let id = ticketName ?? "room\(room.id)-player\(welcome.playerId)"
            presence.connected(id)
            presenceID = id
            sendMessage("Welcome") { (w) throws(WireError) in try welcome.encodeMessage(into: &w) }
            sendMessage("MapInfo") { (w) throws(WireError) in try map.encodeMessage(into: &w) }
            baselineFrame = nil
            room.attach(self, on: connection.eventLoop)
            attached = true
        case .refused(let reason):
            // A quick-join the room refused as full (it filled after the pick): ask the next
            // room, or a new one. Each room is asked at most once.
            if reason == .roomFull, machine.state == .joining, quickJoin != nil {
                triedRooms.insert(room.id)
                retryQuickJoin(attemptsLeft: 100)
                return
            }
            perform(machine.joinRefused(reason))
        }
    }

    /// The next room for a quick-join the last one refused as full. When none is left but one is
    /// still being built by another join, looks again every 5 ms (at most `attemptsLeft` times,
    /// half a second): refusing then would turn away a player a seat is being made for.
    private func retryQuickJoin(attemptsLeft: Int) {
        guard machine.state == .joining, let quickJoin else { return }
        if let next = quickJoin.quickJoinRoom(excluding: triedRooms) {
            room = next
            submitJoin()
        } else if attemptsLeft > 0, quickJoin.isBuildingRoom {
            let session = NIOLoopBound(self, eventLoop: connection.eventLoop)
            connection.eventLoop.scheduleTask(in: .milliseconds(5)) {
                session.value.retryQuickJoin(attemptsLeft: attemptsLeft - 1)
            }
        } else {
            perform(machine.joinRefused(.roomFull))
        }
    }

    func deliver(_ frame: ArenaFrame) {
        latestTick = frame.tick
        guard connection.isWritable else {
            // The frame waiting for the socket to drain will never be sent now.
            if skippedFrame != nil { metrics.rooms.snapshotsSuperseded.increment() }
            skippedFrame = frame
            return
        }
        skippedFrame = nil
        send(frame)
    }

    /// Builds and writes this client's snapshot of `frame`, as a delta against what it last got.
    private func send(_ frame: ArenaFrame) {
        guard let player,
              frame.fillSnapshot(
                  &scratch.building, for: player, sinceTick: baselineFrame?.tick ?? 0, scratch: &scratch.view,
                  copyingEntities: baselineFrame == nil)
        else { return }
        do throws(WireError) {
            if let baselineFrame {
                try frame.encodeDelta(
                    &scratch.building, view: &scratch.view, from: &baseline, of: baselineFrame,
                    baselineSlots: baselineSlots, into: &scratch.writer)
            } else {
                try scratch.building.encodeMessage(into: &scratch.writer, baseline: nil)
            }
        } catch {
            encodeFailures.report(error, encoding: "Snapshot", player: player)
            return
        }
        if connection.send(bytes: scratch.writer.bytes) == .written {
            keepAsBaseline(frame)
        }
    }

    /// Copies the snapshot just written into this session's own storage (no allocation once
    /// warm): the loop's scratch is about to be refilled for the next session.
    /// Every Snapshot field must be copied here (a field left out would make the next delta
    /// wrong whenever it changes back to the stale value; `InputPipelineTests` caught one).
    private func keepAsBaseline(_ frame: ArenaFrame) {
        baseline.tick = scratch.building.tick
        baseline.ackSeq = scratch.building.ackSeq
        baseline.inputBuffer = scratch.building.inputBuffer
        baseline.own = scratch.building.own
        // Most ticks have no kill or hit for this client: then neither array is touched (an
        // append reads its source through a retain even when it is empty).
        if !baseline.kills.isEmpty || !scratch.building.kills.isEmpty {
            baseline.kills.removeAll(keepingCapacity: true)
            baseline.kills.append(contentsOf: scratch.building.kills)
        }
        if !baseline.hits.isEmpty || !scratch.building.hits.isEmpty {
            baseline.hits.removeAll(keepingCapacity: true)
            baseline.hits.append(contentsOf: scratch.building.hits)
        }
        // The frame's array, shared, and nearly always the one already kept (it changes with a
        // score): assigning it anyway was a retain and a release on an object every loop's
        // sessions share.
        if baseline.scoreboard != scratch.building.scoreboard { baseline.scoreboard = scratch.building.scoreboard }
        baselineSlots.assign(scratch.view.slots)
        baselineFrame = frame
    }

    private func sendMessage(_ name: String, _ encode: (inout BitWriter) throws(WireError) -> Void) {
        do throws(WireError) {
            try encode(&scratch.writer)
            _ = connection.send(bytes: scratch.writer.bytes)
        } catch {
            encodeFailures.report(error, encoding: name, player: player)
        }
    }

    private func leaveRoom() {
        if let presenceID {
            presence.disconnected(presenceID)
            self.presenceID = nil
        }
        if attached {
            room.detach(self, on: connection.eventLoop)
            attached = false
        }
        if let player {
            room.submit(.leave(player: player), droppable: false)
            self.player = nil
        }
    }

    private func closed() {
        handshakeTimer?.cancel()
        machine.connectionClosed()
        leaveRoom()
        skippedFrame = nil
        connection.onMessage = nil
        connection.onWritable = nil
        connection.onClose = nil
    }
}
