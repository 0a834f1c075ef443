import Logging
import NIOCore
import NIOSSL

/// Every setting of a server instance, and the one place their defaults live. `arbiter-server`
/// fills it from flags, `ARBITER_*` variables and a config file (ArbiterSettings' table, one
/// line per setting); tests build it directly (port 0 picks a free port).
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
    /// The scheduling the room threads ask for (`TickPriority`); falls back when not permitted.
    public var tickPriority = TickPriority.realtime
    /// Event loop threads for the sockets; nil is one per core.
    public var eventLoopThreads: Int? = nil
    /// 3 s: a reader silent this long is gone, while a 2 s network outage plus a round trip is
    /// survived (a ping sent just before the outage is answered about 2.2 s later).
    public var slowClientTimeout: Duration = .seconds(3)
    public var handshakeTimeout: Duration = .seconds(5)
    /// Time from accept to the end of the first request, and from the head to the end of each
    /// later one (slow headers and bodies are closed at this).
    public var requestTimeout: Duration = .seconds(10)
    /// Time a keep-alive HTTP connection may wait for the head of its next request.
    public var idleTimeout: Duration = .seconds(10)
    /// Open connections of every kind (HTTP, WebSocket, not yet spoken); also bounded by the
    /// open-files limit at start.
    public var maxConnections = 4096
    /// Open connections from one IP address (players behind one NAT share it). Loopback clients
    /// (a local reverse proxy, a load test) are exempt (`TransportSettings.limitsLoopbackPerAddress`).
    public var maxConnectionsPerAddress = 64
    /// Origins (`https://game.example`) allowed to open a WebSocket from a browser; empty means
    /// same origin only (the Origin's host:port equals the Host header). Requests without an
    /// Origin (bots, native clients) are always allowed.
    public var allowedOrigins: [String] = []
    public var resumeGrace: Duration = .seconds(10)
    /// When set, only joins with a ticket signed with this secret are accepted (HMAC-SHA256;
    /// Protocol/README.md §7.3). At least 16 bytes.
    public var joinSecret: [UInt8]? = nil
    /// How long a draining instance (SIGTERM, `POST /admin/drain`) lets running matches go on
    /// before it closes what is left with 1001 and exits.
    public var drainTimeout: Duration = .seconds(60)
    /// A room quick-join created stops after standing empty this long (the rooms created at
    /// start stay). Longer than the handshake timeout, so a joining player is never cut off.
    public var roomIdleTimeout: Duration = .seconds(60)
    /// Bearer token for `POST /admin/drain`; nil leaves the admin endpoints off.
    public var adminToken: String?
    /// The Agones SDK gateway's port on localhost when the server runs under Agones (`--agones`
    /// takes it from `AGONES_SDK_HTTP_PORT`); nil outside Agones.
    public var agonesSDKPort: Int?
    public var echoEndpoint = false
    /// PEM certificate file (the server's certificate first, then any intermediates) and its PEM
    /// private key: with both, the one port speaks TLS for everything (HTTPS, the browser client,
    /// WSS). Neither serves plain HTTP (TLS ended at a load balancer or proxy, or local play).
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// The browser client served at `/`.
    public var webRoot = WebRoot.automatic
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
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
        if let threads = self.eventLoopThreads, threads < 1 { throw .init("--threads must be at least 1") }
        guard self.roomCapacity >= 1 else { throw .init("--room-capacity must be at least 1") }
        guard self.fillBots >= 0, self.fillBots <= self.roomCapacity else {
            throw .init("--fill-bots must be between 0 and the room capacity \(self.roomCapacity)")
        }
        for (name, value) in [
            ("--slow-client-timeout", self.slowClientTimeout), ("--handshake-timeout", self.handshakeTimeout),
            ("--drain-timeout", self.drainTimeout), ("--request-timeout", self.requestTimeout),
            ("--idle-timeout", self.idleTimeout),
        ] where value <= .zero {
            throw .init("\(name) must be positive")
        }
        guard self.roomIdleTimeout > self.handshakeTimeout else {
            throw .init("--room-idle-timeout must be longer than the handshake timeout \(self.handshakeTimeout)")
        }
        if let token = self.adminToken, token.utf8.count < 16 {
            throw .init("--admin-token must be at least 16 characters")
        }
        guard self.maxConnections >= 1, self.maxConnectionsPerAddress >= 1 else {
            throw .init("--max-connections and --max-connections-per-address must be at least 1")
        }
        for origin in self.allowedOrigins where OriginPolicy.normalized(origin) == nil {
            throw .init("--allowed-origins: '\(origin)' is not an origin like https://game.example")
        }
        guard self.resumeGrace >= .zero else { throw .init("--resume-grace must not be negative") }
        if let secret = self.joinSecret, secret.count < 16 {
            throw .init("--join-secret must be at least 16 bytes, got \(secret.count)")
        }
        guard (self.tlsCertificateFile == nil) == (self.tlsKeyFile == nil) else {
            throw .init("--tls-cert and --tls-key go together: give both (PEM files) or neither")
        }
    }

    /// The TLS context from `tlsCertificateFile` and `tlsKeyFile`, or nil when TLS is off. Reads
    /// the files; the error names the flag and the file.
    func makeTLSContext() throws(ConfigurationError) -> NIOSSLContext? {
        guard let certificate = self.tlsCertificateFile, let key = self.tlsKeyFile else { return nil }
        return try ServerTLS.context(certificateFile: certificate, keyFile: key, closeTimeout: self.transport.closeTimeout)
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
        transport.requestTimeout = .init(self.requestTimeout)
        transport.idleTimeout = .init(self.idleTimeout)
        transport.allowedOrigins = self.allowedOrigins
        return transport
    }

    /// The bound on the last phase of shutdown, after the drain: every connection gets its 1001
    /// and has `closeTimeout` to answer, then the rooms stop. Past it what is left is cancelled.
    var closingTimeout: Duration {
        .nanoseconds(self.transport.closeTimeout.nanoseconds) + .seconds(2)
    }
}

extension ServerConfiguration {
    /// The startup line's fields: what an operator checks first when an instance misbehaves.
    func startupMetadata(port: Int, webRoot: String?) -> Logger.Metadata {
        [
            "version": "\(BuildInfo.version)", "build": "\(BuildInfo.configuration)",
            "address": "\(self.host):\(port)", "rooms": "\(self.rooms)", "max_rooms": "\(self.maxRooms)",
            "room_capacity": "\(self.roomCapacity)", "map": "\(self.map)", "tick_rate": "\(self.tickRate)",
            "snapshot_interval": "\(self.snapshotInterval)", "fill_bots": "\(self.fillBots)",
            "drain_timeout_s": "\(self.drainTimeout.components.seconds)",
            "room_idle_timeout_s": "\(self.roomIdleTimeout.components.seconds)",
            "web_root": "\(webRoot ?? "none")", "admin": "\(self.adminToken == nil ? "off" : "on")",
            "agones": "\(self.agonesSDKPort.map { "sdk port \($0)" } ?? "off")",
            "tls": "\(self.tlsCertificateFile == nil ? "off" : "on")",
        ]
    }
}

/// A setting that cannot work, with a message naming it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
