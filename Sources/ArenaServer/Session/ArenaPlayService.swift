import ArbiterServer
import ArbiterProtocol
import NIOCore
import NIOWebSocket

/// `/play`: picks the room (`?room=ID`, or quick-join) and starts a `PlayerSession`; refuses
/// everyone with 4009 while the instance drains.
struct ArenaPlayService: WebSocketService {
    let registry: RoomRegistry<ArenaRoomGame>
    let drain: ServerDrain
    let metrics: ServerMetrics
    let inputMetrics: InputMetrics
    let handshakeTimeout: TimeAmount

    var maxMessageSize: Int { 1024 }

    init(
        registry: RoomRegistry<ArenaRoomGame>, drain: ServerDrain, metrics: ServerMetrics, inputMetrics: InputMetrics,
        handshakeTimeout: TimeAmount
    ) {
        self.registry = registry
        self.drain = drain
        self.metrics = metrics
        self.inputMetrics = inputMetrics
        self.handshakeTimeout = handshakeTimeout
    }

    func accept(_ connection: ServerWebSocket) {
        guard !drain.isDraining else {
            refuse(connection, .draining)
            return
        }
        let room: RoomRuntime<ArenaRoomGame>?
        let refusal: SessionCloseReason
        if let requested = connection.request.queryValue("room") {
            room = Int(requested).flatMap { registry.joinRoom(id: $0) }
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
            connection: connection, room: room, scratch: .forCurrentThread(), metrics: metrics, inputMetrics: inputMetrics)
        session.start(handshakeTimeout: handshakeTimeout)
    }

    private func refuse(_ connection: ServerWebSocket, _ reason: SessionCloseReason) {
        connection.end(reason, using: &EncoderScratch.forCurrentThread().writer)
    }
}
