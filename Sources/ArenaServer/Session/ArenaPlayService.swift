import ArbiterServer
import ArbiterProtocol
import Crypto
import Logging
import NIOCore
import NIOWebSocket

/// `/play`: picks the room (`?room=ID`, or quick-join) and starts a `PlayerSession`. While the
/// instance drains, quick-join is refused with 4009 at once; a `?room=` join goes on to its
/// Hello, where only a resume gets in (the room knows the tokens).
struct ArenaPlayService: WebSocketService {
    let registry: RoomRegistry<ArenaRoomGame>
    let drain: ServerDrain
    let presence: PlayerPresence
    let metrics: ServerMetrics
    let inputMetrics: InputMetrics
    let handshakeTimeout: TimeAmount
    /// `--join-secret`: joins need a ticket signed with it.
    let joinSecret: SymmetricKey?
    let encodeFailures: EncodeFailures

    var maxMessageSize: Int { 1024 }

    init(
        registry: RoomRegistry<ArenaRoomGame>, drain: ServerDrain, presence: PlayerPresence, metrics: ServerMetrics, inputMetrics: InputMetrics,
        handshakeTimeout: TimeAmount, joinSecret: [UInt8]?, logger: Logger
    ) {
        self.joinSecret = joinSecret.map { SymmetricKey(data: $0) }
        self.registry = registry
        self.drain = drain
        self.presence = presence
        self.metrics = metrics
        self.inputMetrics = inputMetrics
        self.handshakeTimeout = handshakeTimeout
        self.encodeFailures = EncodeFailures(logger: logger, factory: metrics.factory)
    }

    func accept(_ connection: ServerWebSocket) {
        let room: RoomRuntime<ArenaRoomGame>?
        let refusal: SessionCloseReason
        let quickJoin: RoomRegistry<ArenaRoomGame>?
        if let requested = connection.request.queryValue("room") {
            room = Int(requested).flatMap { registry.joinRoom(id: $0) }
            refusal = .unknownRoom
            quickJoin = nil
        } else if drain.isDraining {
            room = nil
            refusal = .draining
            quickJoin = nil
        } else {
            room = registry.quickJoinRoom()
            refusal = .roomFull
            quickJoin = registry
        }
        guard let room else {
            refuse(connection, refusal)
            return
        }
        let session = PlayerSession(
            connection: connection, room: room, drain: drain, presence: presence, quickJoin: quickJoin,
            address: Self.address(of: connection.request.remote), joinSecret: joinSecret, scratch: .forCurrentThread(),
            metrics: metrics, inputMetrics: inputMetrics, encodeFailures: encodeFailures)
        session.start(handshakeTimeout: handshakeTimeout)
    }

    /// The peer's address without its port: `[IPv4]10.0.0.7/10.0.0.7:5123` gives
    /// `[IPv4]10.0.0.7/10.0.0.7` (IPv6 alike, the port follows the last colon).
    static func address(of remote: String) -> String {
        guard let colon = remote.lastIndex(of: ":") else { return remote }
        return String(remote[..<colon])
    }

    private func refuse(_ connection: ServerWebSocket, _ reason: SessionCloseReason) {
        connection.end(reason, using: &EncoderScratch.forCurrentThread().writer)
    }
}
