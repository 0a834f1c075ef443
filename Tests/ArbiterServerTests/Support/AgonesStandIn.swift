import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// A local stand-in for the Agones SDK sidecar's REST gateway, with the routes, verbs and
/// bodies of `sdks/swagger/{sdk,alpha,beta}.swagger.json`. It records every call, keeps the
/// GameServer's state (for `GET /gameserver` and `/watch/gameserver`, newline-delimited
/// `{"result": GameServer}` lines), and can answer as a troubled gateway does: a status
/// (e.g. 500) for the paths of a prefix, a delay before answering, a watch stream cut off.
final class AgonesStandIn: Sendable {
    struct Call: Sendable, Equatable, CustomStringConvertible {
        var method: String
        var path: String
        var body: String
        var description: String { "\(self.method) \(self.path) \(self.body)" }
    }

    private struct State {
        var calls: [Call] = []
        var gameServerState = "Scheduled"
        /// Answers for paths starting with the key, instead of 200.
        var failing: [String: HTTPResponse.Status] = [:]
        var delays: [String: Duration] = [:]
        var watches: [Int: AsyncStream<String>.Continuation] = [:]
        var nextWatch = 0
        var watchesOpened = 0
    }

    let port: Int
    private let state: NIOLockedValueBox<State>
    private let group: ServiceGroup

    private init(port: Int, state: NIOLockedValueBox<State>, group: ServiceGroup) {
        self.port = port
        self.state = state
        self.group = group
    }

    static func start() async throws -> AgonesStandIn {
        let state = NIOLockedValueBox(State())
        let router = Router()
        let routes: [(HTTPRequest.Method, String)] = [
            (.post, "/ready"), (.post, "/health"), (.post, "/shutdown"), (.put, "/metadata/label"),
            (.post, "/alpha/player/connect"), (.post, "/alpha/player/disconnect"), (.put, "/alpha/player/capacity"),
            (.patch, "/v1beta1/counters/:name"), (.get, "/gameserver"),
        ]
        for (method, path) in routes {
            router.on(RouterPath(path), method: method) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 64 * 1024)
                let call = Call(method: method.rawValue, path: request.uri.path, body: String(buffer: body))
                let (delay, status, gameServerState) = state.withLockedValue { state in
                    state.calls.append(call)
                    let delay = state.delays.first { call.path.hasPrefix($0.key) }?.value
                    let status = state.failing.first { call.path.hasPrefix($0.key) }?.value ?? .ok
                    return (delay, status, state.gameServerState)
                }
                if let delay { try await Task.sleep(for: delay) }
                let answer: String
                switch (status, path) {
                case (.ok, "/gameserver"): answer = Self.gameServer(gameServerState)
                case (.ok, "/alpha/player/connect"), (.ok, "/alpha/player/disconnect"): answer = #"{"bool":true}"#
                case (.ok, _): answer = "{}"
                default: answer = #"{"code":13,"message":"stand-in failure","details":[]}"#
                }
                return Response(
                    status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
            }
        }
        router.get("/watch/gameserver") { _, _ -> Response in
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            let status = state.withLockedValue { state -> HTTPResponse.Status in
                state.calls.append(Call(method: "GET", path: "/watch/gameserver", body: ""))
                let status = state.failing.first { "/watch/gameserver".hasPrefix($0.key) }?.value ?? .ok
                guard status == .ok else { return status }
                state.watches[state.nextWatch] = continuation
                state.nextWatch += 1
                state.watchesOpened += 1
                return .ok
            }
            guard status == .ok else { return Response(status: status) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    for await line in lines { try await writer.write(ByteBuffer(string: line)) }
                    try await writer.finish(nil)
                })
        }
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        var quiet = Logger(label: "agones-stand-in")
        quiet.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { announce.yield($0.localAddress?.port ?? 0) }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        Task { try await group.run() }
        let port = await ports.first { _ in true } ?? 0
        return AgonesStandIn(port: port, state: state, group: group)
    }

    static func gameServer(_ state: String) -> String {
        #"{"object_meta":{"name":"arbiter-x7k2p","namespace":"default","labels":{"app":"arbiter"}},"#
            + #""status":{"state":"\#(state)","address":"10.0.0.7","ports":[{"name":"http","port":7345}]}}"#
    }

    func stop() {
        self.dropWatches()
        Task { await self.group.triggerGracefulShutdown() }
    }

    var calls: [Call] { self.state.withLockedValue { $0.calls } }

    /// The paths called, in order (`POST /ready` gives `ready`, `PATCH /v1beta1/counters/players` gives `v1beta1/counters/players`).
    var paths: [String] { self.calls.map { String($0.path.dropFirst()) } }

    func count(_ path: String) -> Int { self.paths.filter { $0 == path }.count }

    /// The path of the last call that changes something (not a GET): a read the server
    /// cancelled as it stopped may still reach the stand-in after its Shutdown.
    var lastWrite: String? { self.calls.last { $0.method != "GET" }.map { String($0.path.dropFirst()) } }

    var watchesOpened: Int { self.state.withLockedValue { $0.watchesOpened } }

    /// Answers `status` to every path starting with `prefix`; `.ok` clears it.
    func answer(_ status: HTTPResponse.Status, to prefix: String) {
        self.state.withLockedValue { $0.failing[prefix] = status == .ok ? nil : status }
    }

    func delay(_ prefix: String, by delay: Duration?) {
        self.state.withLockedValue { $0.delays[prefix] = delay }
    }

    /// Agones changes the GameServer's state: every open watch gets the line.
    func setState(_ gameServerState: String) {
        let line = #"{"result":\#(Self.gameServer(gameServerState))}"# + "\n"
        let watches = self.state.withLockedValue { state in
            state.gameServerState = gameServerState
            return Array(state.watches.values)
        }
        for watch in watches { watch.yield(line) }
    }

    /// Ends every open watch stream (the sidecar restarting, a proxy cutting idle streams).
    func dropWatches() {
        let watches = self.state.withLockedValue { state in
            defer { state.watches = [:] }
            return Array(state.watches.values)
        }
        for watch in watches { watch.finish() }
    }
}
