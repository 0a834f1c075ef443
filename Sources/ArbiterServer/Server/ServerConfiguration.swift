import Logging
import NIOCore

/// Every setting of a server instance. `arbiter-server` fills it from flags and `ARBITER_*`
/// variables; tests build it directly (port 0 picks a free port).
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Rooms that exist at start; quick-join may create more up to `maxRooms`.
    public var rooms = 1
    public var maxRooms = 8
    public var roomCapacity = 16
    public var map = "duel"
    public var tickRate = 60
    /// Snapshots go out every `snapshotInterval` ticks (a divisor of `tickRate`).
    public var snapshotInterval = 2
    public var fillBots = 3
    public var slowClientTimeout: Duration = .seconds(2)
    public var handshakeTimeout: Duration = .seconds(5)
    public var resumeGrace: Duration = .seconds(10)
    public var drainTimeout: Duration = .seconds(5)
    public var echoEndpoint = false
    /// Static files served at `/` (the browser client).
    public var webRoot = "Clients/web"
    public var logLevel = Logger.Level.info
    public var transport = TransportSettings()

    public init() {}

    /// Checks the relations between settings; the message names the flag to fix.
    public func validate() throws(ConfigurationError) {
        try self.validate(tickRate: TickScheduler.supportedRates)
        guard self.snapshotInterval >= 1, self.tickRate % self.snapshotInterval == 0 else {
            throw .init("--snapshot-interval must divide the tick rate \(self.tickRate), got \(self.snapshotInterval)")
        }
        guard (0...65535).contains(self.port) else { throw .init("--port must be within 0...65535") }
        guard self.rooms >= 0, self.maxRooms >= max(1, self.rooms) else {
            throw .init("--rooms must be between 0 and the room limit \(self.maxRooms)")
        }
        guard self.roomCapacity >= 1 else { throw .init("--room-capacity must be at least 1") }
        guard self.fillBots >= 0, self.fillBots <= self.roomCapacity else {
            throw .init("--fill-bots must be between 0 and the room capacity \(self.roomCapacity)")
        }
        for (name, value) in [
            ("--slow-client-timeout", self.slowClientTimeout), ("--handshake-timeout", self.handshakeTimeout),
            ("--drain-timeout", self.drainTimeout),
        ] where value <= .zero {
            throw .init("\(name) must be positive")
        }
        guard self.resumeGrace >= .zero else { throw .init("--resume-grace must not be negative") }
    }

    /// Checks the tick rate against `range` (the engine's, or a game's narrower one).
    public func validate(tickRate range: ClosedRange<Int>) throws(ConfigurationError) {
        guard range.contains(self.tickRate) else {
            throw .init("--tick-rate must be within \(range.lowerBound)...\(range.upperBound), got \(self.tickRate)")
        }
    }

    /// The transport settings with the configured slow-client timeout applied.
    var effectiveTransport: TransportSettings {
        var transport = self.transport
        transport.slowClientTimeout = .init(self.slowClientTimeout)
        transport.firstRequestTimeout = .init(self.handshakeTimeout)
        // A close handshake must fit in the drain, or shutdown would wait on silent peers.
        transport.closeTimeout = min(transport.closeTimeout, TimeAmount(self.drainTimeout / 2))
        return transport
    }
}

/// A setting that cannot work, with a message naming it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
