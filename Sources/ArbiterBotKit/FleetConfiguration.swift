import ArbiterClient
import ArbiterProtocol
import ArenaBot
import NIOCore

/// What a fleet of bots does: where it connects, how many, how fast they arrive and how they play.
public struct FleetConfiguration: Sendable {
    /// Which brain each bot runs; `mixed` cycles fight, wander, fight, idle over the bots.
    public enum Behavior: String, Sendable, CaseIterable {
        case idle, wander, fight, mixed

        public func brain(forBot index: Int) -> BotBrain.Behavior {
            switch self {
            case .idle: .idle
            case .wander: .wander
            case .fight: .fight
            case .mixed: [BotBrain.Behavior.fight, .wander, .fight, .idle][index % 4]
            }
        }
    }

    public var url: WebSocketURL
    public var bots: Int
    /// New connections per second; 0 or less starts them all at once.
    public var ramp: Double = 100
    public var behavior: Behavior = .fight
    public var seed: UInt64 = 1
    /// Not "bot": `bot-N` names are the server's own bots' and refused (Protocol/README.md §7.1).
    public var namePrefix = Self.defaultNamePrefix
    public static let defaultNamePrefix = "ai"
    /// Resume after a drop, as a real player would; a load test usually wants drops to count.
    public var reconnect = false
    public var transport = WebSocketClientConfiguration()
    /// Inputs each bot keeps for input→ack times; an input older than that counts as unacked
    /// instead (64 ≈ 1 s at 60 Hz; an outage needs more).
    public var pendingInputWindow = 64
    /// The bot whose own input→ack times are kept for the view (nil: none).
    public var watchedBot: Int?

    public init(url: WebSocketURL, bots: Int) {
        self.url = url
        self.bots = bots
    }

    /// Names cut to the protocol's `Name.maxLength` bytes.
    func name(forBot index: Int) -> String {
        "\(namePrefix)-\(index + 1)".truncatedToUTF8(maxBytes: Name.maxLength)
    }
}
