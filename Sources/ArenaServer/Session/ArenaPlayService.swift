import ArbiterServer
import ArbiterProtocol
import Logging
import NIOCore
import NIOWebSocket

/// `/play`: picks the room (`?room=ID`, or quick-join) and starts a `PlayerSession`. While the
/// instance drains, quick-join is refused with 4009 at once; a `?room=` join goes on to its
/// Hello, where only a resume gets in (the room knows the tokens).
struct ArenaPlayService: WebSocketService {
    let registry: RoomRegistry<ArenaRoomGame>
    let drain: ServerDrain
    let metrics: ServerMetrics
    let inputMetrics: InputMetrics
    let handshakeTimeout: TimeAmount
    let encodeFailures: EncodeFailures

    var maxMessageSize: Int { 1024 }

    init(
        registry: RoomRegistry<ArenaRoomGame>, drain: ServerDrain, metrics: ServerMetrics, inputMetrics: InputMetrics,
        handshakeTimeout: TimeAmount, logger: Logger
    ) {
        self.registry = registry
        self.drain = drain
        self.metrics = metrics
        self.inputMetrics = inputMetrics
        self.handshakeTimeout = handshakeTimeout
        self.encodeFailures = EncodeFailures(logger: logger, factory: metrics.factory)
    }

    func accept(_ connection: ServerWebSocket) {
        let room: RoomRuntime<ArenaRoomGame>?
        let refusal: SessionCloseReason
        if let requested = connection.request.queryValue("room") {
            room = Int(requested).flatMap { registry.joinRoom(id: $0) }
            refusal = .unknownRoom
        } else if drain.isDraining {
            room = nil
            refusal = .draining
        } else {
            room = registry.quickJoinRoom()
            refusal = .roomFull
        }
        guard let room else {
            refuse(connection, refusal)
            return
        }
        let session = PlayerSession(
            connection: connection, room: room, drain: drain, scratch: .forCurrentThread(), metrics: metrics,
            inputMetrics: inputMetrics, encodeFailures: encodeFailures)
        session.start(handshakeTimeout: handshakeTimeout)
    }

    private func refuse(_ connection: ServerWebSocket, _ reason: SessionCloseReason) {
        connection.end(reason, using: &EncoderScratch.forCurrentThread().writer)
    }
}
