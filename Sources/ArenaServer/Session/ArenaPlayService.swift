import ArbiterServer
import ArbiterProtocol
import NIOCore
import NIOWebSocket

/// `/play`: picks the room (`?room=ID`, or quick-join) and starts a `PlayerSession`.
struct ArenaPlayService: WebSocketService {
    let registry: RoomRegistry<ArenaRoomGame>
    let metrics: ServerMetrics
    let handshakeTimeout: TimeAmount

    var maxMessageSize: Int { 1024 }

    init(registry: RoomRegistry<ArenaRoomGame>, metrics: ServerMetrics, handshakeTimeout: TimeAmount) {
        self.registry = registry
        self.metrics = metrics
        self.handshakeTimeout = handshakeTimeout
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
        let session = PlayerSession(connection: connection, room: room, scratch: .forCurrentThread(), metrics: metrics)
        session.start(handshakeTimeout: handshakeTimeout)
    }

    private func refuse(_ connection: ServerWebSocket, _ reason: SessionCloseReason) {
        connection.end(reason, using: &EncoderScratch.forCurrentThread().writer)
    }
}
