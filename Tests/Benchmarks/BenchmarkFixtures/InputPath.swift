import Arena
import ArbiterProtocol
import ArbiterServer
import ArenaServer

/// One Input message's way from the bytes a client sent to its player's input buffer, without
/// the socket: what `PlayerSession.received` does (decode, the session state machine, the
/// per-connection rate limit, the room's command queue), then what the room thread does with
/// it at the next tick (`ArenaRoomGame.apply`, the buffer push). The world is not stepped.
public final class InputPath: @unchecked Sendable {
    struct Client {
        var decoder = ClientMessageDecoder()
        var machine = SessionStateMachine()
        var limit: InputRateLimit
        var id: UInt32
    }

    let game: ArenaRoomGame
    let queue: CommandQueue<ArenaCommand>
    var clients: [Client] = []
    var drained: [ArenaCommand] = []
    /// Each client's encoded Input messages, one per round (`seq` rising).
    let messages: [[UInt8]]
    var next = 0
    var round = 0
    /// Nanoseconds on a fake clock: one tick per round, so the rate limit always admits.
    var now: Int64 = 0
    /// Inputs queued so far, for a black hole.
    public private(set) var queued = 0

    /// `count` players in one room on `expanse`; `rounds` inputs each fit their buffers.
    public init(players count: Int, rounds: Int = 8) {
        let tickRate = 60
        let capacity = ArenaRoomGame.inputCapacity(tickRate: tickRate)
        precondition(rounds <= capacity)
        game = try! ArenaRoomGame(
            roomID: 1, map: try! ArenaMap.load(named: "expanse"), seed: 1, tickRate: tickRate, snapshotInterval: 1,
            capacity: count, fillBots: 0, resumeGrace: .zero, inputMetrics: InputMetrics(metrics: ServerMetrics()))
        queue = CommandQueue(limit: count * 4 * 2)
        let ids = IDs()
        for i in 0..<count {
            game.apply(.join(JoinRequest(name: "p\(i)", resumeToken: nil, address: "10.0.\(i / 256).\(i % 256)") { result in
                if case .joined(let welcome, _) = result { ids.value.append(welcome.playerId) }
            }))
        }
        var writer = BitWriter(capacity: 64)
        messages = (1...rounds).map { seq in
            let input = Input(seq: UInt32(seq), moveX: 1, moveY: -1, aim: 1.5, fire: seq % 3 == 0, viewTick: UInt16(seq))
            try! input.encodeMessage(into: &writer)
            return writer.bytes
        }
        for id in ids.value {
            var client = Client(limit: InputRateLimit(tickRate: tickRate, capacity: capacity), id: id)
            _ = client.machine.received(.hello(Hello(protocolVersion: ArenaProtocol.version, schemaHash: ArenaProtocol.schemaHash, name: "p")), currentTick: 0)
            _ = client.machine.joined(player: id)
            clients.append(client)
        }
        drained.reserveCapacity(queue.limit)
    }

    /// The next client's next input (round robin), up to the room's command queue; after the
    /// last client, the room thread's side for the whole round: the queue swapped out and every
    /// input pushed into its player's buffer.
    public func input() {
        messages[round].withUnsafeBytes { self.input(message: $0) }
    }

    /// `input()` with the message's bytes from elsewhere (the socket's read side).
    func input(message raw: UnsafeRawBufferPointer) {
        let i = next
        let decoded = Result<ClientMessage, WireError> { () throws(WireError) -> ClientMessage in try clients[i].decoder.decode(raw) }
        if case .success(let message) = decoded,
           case .applyInput(let input) = clients[i].machine.received(message, currentTick: UInt32(round)),
           clients[i].limit.admit(now: now) {
            queue.push(.input(player: clients[i].id, QueuedInput(input)))
        }
        next += 1
        if next == clients.count {
            next = 0
            round += 1
            now += 1_000_000_000 / 60
            queue.swap(into: &drained)
            for command in drained { game.apply(command) }
            queued += drained.count
            drained.removeAll(keepingCapacity: true)
        }
    }

    /// Inputs `input()` can take before the buffers would have to be stepped.
    public var capacity: Int { clients.count * messages.count }

    private final class IDs: @unchecked Sendable { var value: [UInt32] = [] }
}
