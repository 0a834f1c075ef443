import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// The dedicated server: one port serving HTTP through Hummingbird and the WebSocket endpoints
/// through our own NIO handlers, plus whatever services the game brings (room tick threads).
///
/// The game plugs in through `play` (the `/play` WebSocket service), `rooms` (for
/// `GET /rooms`) and `services` (run alongside the HTTP server and shut down after it, so
/// rooms still tick while connections are being closed with 1001).
///
/// Shutdown has two phases: the drain (`ServerDrain`: no new players, matches go on until their
/// rooms empty or `drainTimeout` passes), then closing (1001 to every connection, rooms stop,
/// bounded by `closingTimeout`).
public struct GameServer: Sendable {
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    public let eventLoopGroup: MultiThreadedEventLoopGroup
    /// Shared with the game, whose join path refuses players while it drains.
    public let drain: ServerDrain
    /// Who plays, as the game reports it (Agones player tracking reads it).
    public let players: PlayerPresence
    /// What Agones last said of this game server; nil outside Agones.
    public let agones: AgonesStatus?
    private let agonesMetrics: AgonesMetrics?
    private let play: (any WebSocketService)?
    private let rooms: any RoomDirectory
    private let services: [any Service]
    private let logger: Logger

    public init(
        configuration: ServerConfiguration,
        metrics: ServerMetrics = ServerMetrics(),
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        play: (any WebSocketService)?,
        rooms: any RoomDirectory = NoRooms(),
        services: [any Service] = [],
        drain: ServerDrain? = nil,
        players: PlayerPresence = PlayerPresence(),
        logger: Logger
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.eventLoopGroup = eventLoopGroup
        self.drain = drain ?? ServerDrain(timeout: configuration.drainTimeout, logger: logger)
        self.players = players
        self.agonesMetrics = configuration.agonesSDKPort.map { _ in AgonesMetrics(factory: metrics.factory) }
        self.agones = self.agonesMetrics.map { AgonesStatus(metrics: $0) }
        self.play = play
        self.rooms = rooms
        self.services = services
        self.logger = logger
    }

    /// The WebSocket paths this instance upgrades.
    var webSocketRoutes: [String: any WebSocketService] {
        var routes: [String: any WebSocketService] = [:]
        if let play = self.play { routes["/play"] = play }
        if self.configuration.echoEndpoint { routes["/echo"] = EchoService() }
        return routes
    }

    /// The whole server as one service; `onRunning` gets the bound port (useful with port 0).
    /// Fails when the browser client cannot be found (the message says where it looked) or the
    /// TLS files cannot be used.
    public func makeService(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some Service {
        self.makeService(
            webRoot: try self.configuration.webRoot.resolve(), tls: try self.configuration.makeTLSContext(), onRunning: onRunning)
    }

    /// What every accepted connection gets: TLS when configured, the limits, timeouts, request
    /// guard and upgrade.
    private func childChannel(
        responder: @escaping HTTPChannelHandler.Responder, limiter: ConnectionLimiter, tls: NIOSSLContext?
    ) -> GameChildChannel {
        GameChildChannel(
            responder: responder, routes: self.webSocketRoutes, settings: self.configuration.effectiveTransport,
            metrics: self.metrics.transport, limiter: limiter, tls: tls, logger: self.logger)
    }

    private func makeLimiter() -> ConnectionLimiter {
        ConnectionLimiter(
            maxConnections: OpenFilesLimit.connectionBudget(self.configuration.maxConnections),
            maxPerAddress: self.configuration.maxConnectionsPerAddress,
            limitsLoopbackPerAddress: self.configuration.effectiveTransport.limitsLoopbackPerAddress,
            metrics: self.metrics.transport
        )
    }

    /// Installs on `channel` the pipeline an accepted connection gets (limits, timeouts, the
    /// request guard, the WebSocket upgrade), without a listening socket: the first-request
    /// fuzz target (Tests/Fuzz/FirstRequest) drives it from an `EmbeddedChannel`. Requests that
    /// pass the guard and are not upgraded reach no router.
    public func installConnectionPipeline(on channel: any Channel) -> EventLoopFuture<Void> {
        self.childChannel(responder: { _, _, _ in }, limiter: self.makeLimiter(), tls: nil)
            .setup(channel: channel, logger: self.logger).map { _ in }
    }

    private func makeService(webRoot: String?, tls: NIOSSLContext?, onRunning: @escaping @Sendable (Int) async -> Void) -> some Service {
        let metrics = self.metrics
        let logger = self.logger
        let limiter = self.makeLimiter()
        // Hummingbird announces itself at info; the one startup line is ours.
        var httpLogger = logger
        httpLogger.logLevel = max(logger.logLevel, .notice)
        let router = HTTPRoutes.router(
            webRoot: webRoot,
            metrics: metrics,
            rooms: self.rooms,
            drain: self.drain,
            agones: self.agones,
            adminToken: self.configuration.adminToken,
            logger: httpLogger
        )
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in self.childChannel(responder: responder, limiter: limiter, tls: tls) },
            configuration: .init(address: .hostname(self.configuration.host, port: self.configuration.port), serverName: nil),
            services: self.services,
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? 0)
            },
            eventLoopGroupProvider: .shared(self.eventLoopGroup),
            logger: httpLogger
        )
    }

    /// The server and the drain driver in one group: when the drain ends (`DrainService`
    /// returns) the group shuts down gracefully, within `closingTimeout`.
    /// Under Agones the SDK service comes last, so it is the first to hear of the shutdown.
    private func makeGroup(webRoot: String?, tls: NIOSSLContext?, onRunning: @escaping @Sendable (Int) async -> Void) -> ServiceGroup {
        let (bound, announceBound) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: self.makeService(webRoot: webRoot, tls: tls) { port in
                await onRunning(port)
                announceBound.yield()
            }),
            .init(
                service: DrainService(drain: self.drain, rooms: self.rooms),
                successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let port = self.configuration.agonesSDKPort, let status = self.agones, let metrics = self.agonesMetrics {
            let service = AgonesService(
                sdk: AgonesSDKClient(port: port), rooms: self.rooms, players: self.players, drain: self.drain, status: status,
                metrics: metrics, maxRooms: self.configuration.maxRooms, roomCapacity: self.configuration.roomCapacity,
                bound: bound, logger: self.logger)
            services.append(.init(service: service))
        }
        var configuration = ServiceGroupConfiguration(services: services, logger: self.logger)
        configuration.maximumGracefulShutdownDuration = self.configuration.closingTimeout
        configuration.maximumCancellationDuration = .seconds(1)
        return ServiceGroup(configuration: configuration)
    }

    /// Runs until SIGTERM or SIGINT, then drains: no new players, matches go on until their
    /// rooms empty or the drain timeout passes (a second signal cuts it short); then every
    /// WebSocket gets 1001 "server shutting down" and this returns. Prints the URL once, logs a
    /// startup line (version, address, settings) and a shutdown summary.
    public func runUntilSignalled() async throws {
        let files = OpenFilesLimit.raiseToHardLimit()
        self.logger.info(
            "open-files limit",
            metadata: [
                "soft": "\(files.map { "\($0.soft)" } ?? "unknown")", "hard": "\(files.map { "\($0.hard)" } ?? "unknown")",
                "max_connections": "\(OpenFilesLimit.connectionBudget(self.configuration.maxConnections))",
            ]
        )
        let configuration = self.configuration
        let logger = self.logger
        let started = ContinuousClock.now
        let webRoot = try configuration.webRoot.resolve()
        let tls = try configuration.makeTLSContext()
        let group = self.makeGroup(webRoot: webRoot, tls: tls) { port in
            let host = configuration.host
            let shownHost = (host == "0.0.0.0" || host == "::") ? "localhost" : host
            let scheme = tls == nil ? "http" : "https"
            logger.notice("arbiter-server started", metadata: configuration.startupMetadata(port: port, webRoot: webRoot))
            // Unbuffered: scripts wait for this line on a pipe.
            FileHandle.standardOutput.write(Data("Arbiter is running: open \(scheme)://\(shownHost):\(port)/\n".utf8))
        }
        let drain = self.drain
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let listener = Task {
            for await _ in signals { drain.request(from: .signal) }
        }
        defer { listener.cancel() }
        try await self.describingStartErrors { try await group.run() }
        var summary: Logger.Metadata = [
            "uptime_s": "\(started.duration(to: .now).formattedSeconds)",
            "players_at_close": "\(self.rooms.roomSummaries().reduce(0) { $0 + $1.players })",
        ]
        if case .closing(let cause) = drain.state { summary["cause"] = "\(cause.rawValue)" }
        logger.notice("arbiter-server stopped", metadata: summary)
    }

    /// Turns the bind errors an operator meets into one line that says what to change.
    private func describingStartErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ConfigurationError("port \(self.configuration.port) on \(self.configuration.host) is in use (choose another with --port)")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw ConfigurationError("no permission to listen on port \(self.configuration.port) (ports below 1024 need privileges)")
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
            throw ConfigurationError("address \(self.configuration.host) is not an address of this machine (--host)")
        }
    }

    /// Starts in the background and returns once the port is bound (tests, embedding).
    public func start() async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = self.makeGroup(webRoot: try self.configuration.webRoot.resolve(), tls: try self.configuration.makeTLSContext()) { port in
            continuation.yield(port)
        }
        let task = Task {
            defer { continuation.finish() }
            try await self.describingStartErrors { try await group.run() }
        }
        guard let port = await ports.first(where: { _ in true }) else {
            try await task.value
            throw ConfigurationError("the server stopped before binding its port")
        }
        return RunningServer(port: port, group: group, drain: self.drain, task: task)
    }
}

/// A server started with `GameServer.start()`.
public struct RunningServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let drain: ServerDrain
    private let task: Task<Void, any Error>

    init(port: Int, group: ServiceGroup, drain: ServerDrain, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.drain = drain
        self.task = task
    }

    /// Shutdown without a drain: stop accepting, close WebSockets with 1001, stop the rooms.
    public func shutdown() async throws {
        await self.group.triggerGracefulShutdown()
        try await self.task.value
    }

    /// The SIGTERM path: drain (see `GameServer.runUntilSignalled`), then close; returns when
    /// the server has stopped.
    public func drainAndStop() async throws {
        self.drain.request(from: .request)
        try await self.task.value
    }

    /// Waits for the server to stop by itself (after a drain started elsewhere).
    public func stopped() async throws {
        try await self.task.value
    }
}
