import ArbiterProtocol
import ArbiterServer
import ArenaServer
import Arena
import CoreMetrics

/// Bytes on the wire for one busy room, measured in process and faster than real time: an
/// `ArenaRoomGame` full of fighting fill bots is stepped directly, and every tick each bot's
/// view is turned into exactly the snapshot a `PlayerSession` would write (filled by the
/// server's own `ArenaFrame.fillSnapshot`, delta-encoded against the last one). The same world
/// is also encoded as full binary and JSON state, so all three come from identical states.
public enum BandwidthBenchmark {
    public struct Options: Sendable {
        public var bots = 64
        public var tickRate = 60
        /// Simulated seconds measured.
        public var seconds = 60
        /// Simulated seconds before measuring: bots spread out and start fighting; each client's
        /// first (full) snapshot falls in here, so the figure is the steady state.
        public var warmUpSeconds = 2
        public var map = "duel"
        public var seed: UInt64 = 7
        public init() {}
    }

    public static func run(_ options: Options) throws -> BandwidthResult {
        let map = try ArenaMap.load(named: options.map)
        let game = try ArenaRoomGame(
            roomID: 1, map: map, seed: options.seed, tickRate: options.tickRate, snapshotInterval: 1,
            capacity: options.bots, fillBots: options.bots, resumeGrace: .zero,
            inputMetrics: InputMetrics(metrics: ServerMetrics()))

        /// What a `PlayerSession` keeps: the last snapshot written and a scratch one to fill.
        struct Client {
            var id: UInt32
            var building = Snapshot()
            var baseline = Snapshot()
            var hasBaseline = false
            var baselineTick: UInt32 = 0
            var view = ArenaFrame.ViewScratch()

            /// Fills and encodes this client's next snapshot into `writer`; false if not in the world.
            mutating func write(_ frame: ArenaFrame, into writer: inout BitWriter) throws -> Bool {
                guard frame.fillSnapshot(&building, for: id, sinceTick: hasBaseline ? baselineTick : 0, scratch: &view) else { return false }
                try building.encodeMessage(into: &writer, baseline: hasBaseline ? baseline : nil)
                swap(&baseline, &building)
                hasBaseline = true
                baselineTick = frame.tick
                return true
            }
        }
        var clients: [Client] = []
        var writer = BitWriter(capacity: 16 * 1024)
        var full = FullStateEncoder()
        var arbiterBytes = 0, arbiterPayloadBytes = 0, arbiterMessages = 0, largest = 0
        var binaryBytes = 0, jsonBytes = 0, entities = 0, measuredTicks = 0
        let warmUp = options.warmUpSeconds * options.tickRate
        let total = warmUp + options.seconds * options.tickRate

        for tick in 1...UInt64(total) {
            game.step(tick: tick, commands: [])
            let frame = game.publish(tick: tick)
            if clients.isEmpty { clients = frame.world.players.map { Client(id: $0.id.rawValue) } }
            let measuring = tick > UInt64(warmUp)
            for i in clients.indices {
                guard try clients[i].write(frame, into: &writer) else { continue }
                if measuring {
                    let payload = writer.bytes.count
                    arbiterPayloadBytes += payload
                    arbiterBytes += WebSocketFraming.frameBytes(payload: payload)
                    arbiterMessages += 1
                    largest = max(largest, payload)
                    entities += clients[i].baseline.entities.count
                }
            }
            guard measuring else { continue }
            measuredTicks += 1
            // A full-state server sends one identical message to every client.
            binaryBytes += WebSocketFraming.frameBytes(payload: full.encodeBinary(frame.world)) * clients.count
            jsonBytes += WebSocketFraming.frameBytes(payload: full.encodeJSON(frame.world)) * clients.count
        }

        // The idle floor: the next snapshot when nothing but the tick moved on.
        var idle = clients[0].baseline
        idle.tick &+= 1
        try idle.encodeMessage(into: &writer, baseline: clients[0].baseline)
        let idleBytes = writer.bytes.count

        let clientSeconds = Double(clients.count) * Double(measuredTicks) / Double(options.tickRate)
        return BandwidthResult(
            bots: clients.count, tickRate: options.tickRate, simulatedSeconds: Double(measuredTicks) / Double(options.tickRate),
            map: options.map,
            arbiterBytesPerClientPerS: Double(arbiterBytes) / clientSeconds,
            fullBinaryBytesPerClientPerS: Double(binaryBytes) / clientSeconds,
            jsonBytesPerClientPerS: Double(jsonBytes) / clientSeconds,
            idleSnapshotBytes: idleBytes,
            idleFrameBytes: WebSocketFraming.frameBytes(payload: idleBytes),
            arbiterMeanSnapshotBytes: Double(arbiterPayloadBytes) / Double(max(1, arbiterMessages)),
            arbiterLargestSnapshotBytes: largest,
            meanVisibleEntities: Double(entities) / Double(max(1, arbiterMessages)))
    }
}

public struct BandwidthResult: Codable, Sendable {
    public var bots: Int
    public var tickRate: Int
    public var simulatedSeconds: Double
    public var map: String
    /// Snapshot frames (payload plus WebSocket header) per client per second.
    public var arbiterBytesPerClientPerS: Double
    public var fullBinaryBytesPerClientPerS: Double
    public var jsonBytesPerClientPerS: Double
    /// Payload of a snapshot in which only the tick changed; `idleFrameBytes` adds the header.
    public var idleSnapshotBytes: Int
    public var idleFrameBytes: Int
    public var arbiterMeanSnapshotBytes: Double
    public var arbiterLargestSnapshotBytes: Int
    public var meanVisibleEntities: Double

    public var binaryRatio: Double { fullBinaryBytesPerClientPerS / arbiterBytesPerClientPerS }
    public var jsonRatio: Double { jsonBytesPerClientPerS / arbiterBytesPerClientPerS }

    enum CodingKeys: String, CodingKey {
        case bots, tickRate = "hz", simulatedSeconds = "simulated_seconds", map
        case arbiterBytesPerClientPerS = "arbiter_bytes_per_client_per_s"
        case fullBinaryBytesPerClientPerS = "full_binary_bytes_per_client_per_s"
        case jsonBytesPerClientPerS = "json_bytes_per_client_per_s"
        case idleSnapshotBytes = "idle_snapshot_bytes"
        case idleFrameBytes = "idle_frame_bytes"
        case arbiterMeanSnapshotBytes = "arbiter_mean_snapshot_bytes"
        case arbiterLargestSnapshotBytes = "arbiter_largest_snapshot_bytes"
        case meanVisibleEntities = "mean_visible_entities"
    }
}
