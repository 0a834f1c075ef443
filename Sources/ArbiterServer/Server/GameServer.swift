import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The dedicated server: one port serving HTTP through Hummingbird and the WebSocket endpoints
/// through our own NIO handlers, plus whatever services the game brings (room tick threads).
///
/// The game plugs in through `play` (the `/play` WebSocket service), `rooms` (for
/// `GET /rooms`) and `services` (run alongside the HTTP server and shut down after it, so
/// rooms still tick while connections are being closed with 1001).
public struct GameServer: Sendable {
    public let configuration: ServerConfiguration
    public let metrics: ServerMetrics
    public let eventLoopGroup: MultiThreadedEventLoopGroup
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
        logger: Logger
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.eventLoopGroup = eventLoopGroup
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
    public func makeService(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some Service {
        let routes = self.webSocketRoutes
        let transport = self.configuration.effectiveTransport
        let metrics = self.metrics
        let logger = self.logger
        // Hummingbird announces itself at info; the one startup line is ours.
        var httpLogger = logger
        httpLogger.logLevel = max(logger.logLevel, .notice)
        let router = HTTPRoutes.router(
            webRoot: self.configuration.webRoot,
            metrics: metrics,
            rooms: self.rooms,
            logger: httpLogger
        )
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in
                GameChildChannel(responder: responder, routes: routes, settings: transport, metrics: metrics.transport, logger: logger)
            },
            configuration: .init(address: .hostname(self.configuration.host, port: self.configuration.port), serverName: nil),
            services: self.services,
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? 0)
            },
            eventLoopGroupProvider: .shared(self.eventLoopGroup),
            logger: httpLogger
        )
    }

    /// Runs until SIGTERM or SIGINT, then stops accepting, closes every WebSocket with 1001
    /// "server shutting down" and returns within the drain timeout. Prints the URL once.
    public func runUntilSignalled() async throws {
        let host = self.configuration.host
        let service = self.makeService { port in
            let shownHost = (host == "0.0.0.0" || host == "::") ? "localhost" : host
            // Unbuffered: scripts wait for this line on a pipe.
            FileHandle.standardOutput.write(Data("Arbiter is running: open http://\(shownHost):\(port)/\n".utf8))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [service],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: self.logger
            ).withDrain(self.configuration.drainTimeout)
        )
        try await group.run()
    }

    /// Starts in the background and returns once the port is bound (tests, embedding).
    public func start() async throws -> RunningServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = self.makeService { port in continuation.yield(port) }
        let group = ServiceGroup(
            configuration: .init(services: [service], logger: self.logger).withDrain(self.configuration.drainTimeout)
        )
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        guard let port = await ports.first(where: { _ in true }) else {
            try await task.value
            throw ConfigurationError("the server stopped before binding its port")
        }
        return RunningServer(port: port, group: group, task: task)
    }
}

/// A server started with `GameServer.start()`.
public struct RunningServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// The same path as SIGTERM: stop accepting, close WebSockets with 1001, stop the rooms.
    public func shutdown() async throws {
        await self.group.triggerGracefulShutdown()
        try await self.task.value
    }
}

extension ServiceGroupConfiguration {
    /// Past the drain timeout the group cancels what is left, so the process always exits.
    fileprivate func withDrain(_ drain: Duration) -> Self {
        var configuration = self
        configuration.maximumGracefulShutdownDuration = drain
        configuration.maximumCancellationDuration = .seconds(1)
        return configuration
    }
}
