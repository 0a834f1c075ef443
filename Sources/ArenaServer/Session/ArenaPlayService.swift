import ArbiterServer
import ArbiterProtocol
import Logging
import NIOCore
import NIOWebSocket

/// `/play`: picks the room (`?room=ID`, or quick-join) and starts a `PlayerSession`.
struct ArenaPlayService: WebSocketService {
    let registry: RoomRegistry<ArenaRoomGame>
    let metrics: ServerMetrics
    let inputMetrics: InputMetrics
    let handshakeTimeout: TimeAmount
    let encodeFailures: EncodeFailures

    var maxMessageSize: Int { 1024 }

    init(
        registry: RoomRegistry<ArenaRoomGame>, metrics: ServerMetrics, inputMetrics: InputMetrics, handshakeTimeout: TimeAmount,
        logger: Logger
    ) {
        self.registry = registry
        self.metrics = metrics
        self.inputMetrics = inputMetrics
        self.handshakeTimeout = handshakeTimeout
        self.encodeFailures = EncodeFailures(logger: logger, factory: metrics.factory)
    }

    func accept(_ connection: ServerWebSocket) {
        let room: RoomRuntime<ArenaRoomGame>?
        let refusal: SessionCloseReason
        if let requested = connection.request.queryValue("room") {
            room = Int(requested).flatMap { registry.room(id: $0) }
            refusal = .unknownRoom
        } else {
            room = registry.quickJoinRoom()
            refusal = .roomFull
        }
        guard let room else {
            refuse(connection, refusal)
            return
        }
        let session = PlayerSession(
            connection: connection, room: room, scratch: .forCurrentThread(), metrics: metrics, inputMetrics: inputMetrics,
            encodeFailures: encodeFailures)
        session.start(handshakeTimeout: handshakeTimeout)
    }

    private func refuse(_ connection: ServerWebSocket, _ reason: SessionCloseReason) {
        connection.end(reason, using: &EncoderScratch.forCurrentThread().writer)
    }
}
