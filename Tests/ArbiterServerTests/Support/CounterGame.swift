import ArbiterServer
import NIOConcurrencyHelpers
import NIOCore

/// The smallest `RoomGame`: sums the numbers players send, and publishes the sum with a
/// payload of `frameSize` bytes so a stalled reader fills its socket quickly.
final class CounterGame: RoomGame {
    enum Command: Sendable, Equatable {
        case join
        case leave
        case add(Int)
    }

    final class Frame: Sendable {
        let tick: UInt64
        let sum: Int
        let payload: [UInt8]

        init(tick: UInt64, sum: Int, payload: [UInt8]) {
            self.tick = tick
            self.sum = sum
            self.payload = payload
        }
    }

    let roomID: Int
    let frameSize: Int
    private var sum = 0
    private var players = 0
    /// Every command in the order the room applied it, with its tick (for the tests).
    let applied = NIOLockedValueBox<[(tick: UInt64, command: Command)]>([])

    init(roomID: Int, frameSize: Int) {
        self.roomID = roomID
        self.frameSize = frameSize
    }

    func step(tick: UInt64, commands: [Command]) {
        for command in commands {
            switch command {
            case .join: self.players += 1
            case .leave: self.players -= 1
            case .add(let value): self.sum += value
            }
        }
        if !commands.isEmpty {
            self.applied.withLockedValue { $0 += commands.map { (tick, $0) } }
        }
    }

    func publish(tick: UInt64) -> Frame {
        var payload = [UInt8](repeating: 0, count: max(16, self.frameSize))
        withUnsafeBytes(of: tick.bigEndian) { payload.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: Int64(self.sum).bigEndian) { payload.replaceSubrange(8..<16, with: $0) }
        return Frame(tick: tick, sum: self.sum, payload: payload)
    }

    func summary(tick: UInt64) -> RoomSummary {
        RoomSummary(id: self.roomID, map: "test", players: self.players, bots: 0, capacity: 8, tick: tick)
    }
}

/// `/play` for the tests: every connection joins room 1 and gets each frame's payload, unless
/// its socket is full (then it simply misses that frame, as a real snapshot stream would).
/// `/play?player=ID` also reports the player to `presence`, as a game does.
struct CounterPlayService: WebSocketService {
    let registry: RoomRegistry<CounterGame>
    var presence = PlayerPresence()

    var maxMessageSize: Int { 1024 }

    func accept(_ connection: ServerWebSocket) {
        guard let room = self.registry.room(id: 1) else {
            return connection.close(code: .policyViolation, reason: "no room")
        }
        let member = CounterMember(connection: connection)
        room.attach(member, on: connection.eventLoop)
        room.submit(.join)
        let id = connection.request.queryValue("player")
        if let id { self.presence.connected(id) }
        connection.onMessage = { message in
            guard message.readableBytes == 8, let value = message.getInteger(at: message.readerIndex, as: Int64.self) else {
                return connection.close(code: .protocolError, reason: "expected one Int64")
            }
            room.submit(.add(Int(value)))
        }
        connection.onClose = { [presence] _ in
            if let id { presence.disconnected(id) }
            room.detach(member, on: connection.eventLoop)
            room.submit(.leave)
        }
    }
}

final class CounterMember: RoomMember {
    let connection: ServerWebSocket

    init(connection: ServerWebSocket) {
        self.connection = connection
    }

    func deliver(_ frame: CounterGame.Frame) {
        self.connection.send(bytes: frame.payload)
    }
}
