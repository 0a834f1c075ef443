@testable import ArbiterServer
import Hummingbird
import Logging
import ServiceLifecycle
import NIOConcurrencyHelpers
import Testing

/// The Agones SDK conversation against a local stand-in for the sidecar's REST gateway.
@Suite(.timeLimit(.minutes(1)))
struct AgonesTests {
    /// Records every POST path; answers 200, or `status` when set.
    struct StandInSDK: Sendable {
        let calls: NIOLockedValueBox<[String]>
        let status: NIOLockedValueBox<HTTPResponse.Status>
        let port: Int
        private let group: ServiceGroup

        static func start() async throws -> StandInSDK {
            let calls = NIOLockedValueBox<[String]>([])
            let status = NIOLockedValueBox<HTTPResponse.Status>(.ok)
            let router = Router()
            for path in ["ready", "health", "shutdown"] {
                router.post(RouterPath(path)) { _, _ in
                    calls.withLockedValue { $0.append(path) }
                    return Response(status: status.withLockedValue { $0 }, body: .init(byteBuffer: ByteBuffer(string: "{}")))
                }
            }
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            var quiet = Logger(label: "agones-stand-in")
            quiet.logLevel = .critical
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: quiet)
            var logger = Logger(label: "agones-stand-in")
            logger.logLevel = .critical
            let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
            Task { try await group.run() }
            let port = await ports.first { _ in true } ?? 0
            return StandInSDK(calls: calls, status: status, port: port, group: group)
        }

        private init(calls: NIOLockedValueBox<[String]>, status: NIOLockedValueBox<HTTPResponse.Status>, port: Int, group: ServiceGroup) {
            self.calls = calls
            self.status = status
            self.port = port
            self.group = group
        }

        func stop() { Task { await self.group.triggerGracefulShutdown() } }
        var recorded: [String] { self.calls.withLockedValue { $0 } }
    }

    @Test func readyThenHealthThenShutdownAfterTheDrain() async throws {
        let sdk = try await StandInSDK.start()
        defer { sdk.stop() }
        let server = try await TestServer.start { $0.agonesSDKPort = sdk.port }
        try await waitFor { sdk.recorded.filter { $0 == "health" }.count >= 1 }
        #expect(sdk.recorded.first == "ready")
        #expect(!sdk.recorded.contains("shutdown"))
        try await server.running.drainAndStop()
        #expect(sdk.recorded.last == "shutdown")
        #expect(sdk.recorded.filter { $0 == "ready" }.count == 1)
    }

    @Test func theClientReportsWhatTheGatewayAnswers() async throws {
        let sdk = try await StandInSDK.start()
        defer { sdk.stop() }
        let client = AgonesSDKClient(port: sdk.port)
        try await client.ready()
        sdk.status.withLockedValue { $0 = .internalServerError }
        await #expect(throws: AgonesSDKClient.Failure.self) { try await client.health() }
        #expect(sdk.recorded == ["ready", "health"])
        #expect(AgonesSDKClient.port(environment: ["AGONES_SDK_HTTP_PORT": "9400"]) == 9400)
        #expect(AgonesSDKClient.port(environment: [:]) == 9358)
    }

    @Test func noGatewayIsAnErrorNotAHang() async throws {
        var client = AgonesSDKClient(port: 1)
        client.timeout = .milliseconds(500)
        await #expect(throws: (any Error).self) { try await client.ready() }
    }

    @Test func healthFollowsTheTicks() {
        var liveness = TickLiveness()
        func rooms(_ ticks: [UInt64]) -> [RoomSummary] {
            ticks.enumerated().map { RoomSummary(id: $0.offset + 1, map: "m", players: 0, bots: 0, capacity: 1, tick: $0.element) }
        }
        let answers = [[], rooms([10, 20]), rooms([12, 25, 0]), rooms([14, 25, 3]), rooms([16, 30, 5])].map {
            liveness.advanced($0)
        }
        // A new room counts as moving; room 2 stuck at 25 stops the pings once.
        #expect(answers == [true, true, true, false, true])
    }
}
