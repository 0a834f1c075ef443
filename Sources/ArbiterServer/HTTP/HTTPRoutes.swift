import Foundation
import Hummingbird
import Logging

/// Everything that is not the game socket: health, metrics, the room list, the admin drain and
/// the browser client's files. Hummingbird does the routing, safe static paths and content types.
///
/// Health for orchestrators: `/livez` (and its old name `/healthz`) is 200 while the process
/// serves at all; `/readyz` is 200 while it takes new players and 503 once it drains, so load
/// balancers and allocators stop sending players while running matches go on.
enum HTTPRoutes {
    static let livenessPath = "/livez"
    static let readinessPath = "/readyz"

    static func router(
        webRoot: String?,
        metrics: ServerMetrics,
        rooms: any RoomDirectory,
        drain: ServerDrain,
        agones: AgonesStatus? = nil,
        adminToken: String?,
        logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        if let webRoot {
            router.add(middleware: FileMiddleware(fileProvider: WebClientFiles(rootFolder: webRoot, logger: logger), searchForIndexHtml: true))
        }
        for path in [Self.livenessPath, "/healthz"] {
            router.get(RouterPath(path)) { _, _ in "ok\n" }
        }
        router.get(RouterPath(Self.readinessPath)) { _, _ in
            // Under Agones a second line gives the GameServer state (e.g. `agones: Allocated`).
            let agonesLine = agones?.state.map { "agones: \($0)\n" } ?? ""
            return drain.isDraining
                ? Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "draining\n" + agonesLine)))
                : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n" + agonesLine)))
        }
        if let adminToken {
            router.post("admin/drain") { request, _ in
                guard AdminToken.matches(request.headers[.authorization], token: adminToken) else {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
                }
                drain.request(from: .request)
                return Response(status: .accepted, body: .init(byteBuffer: ByteBuffer(string: "draining\n")))
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render()))
            )
        }
        router.get("rooms") { _, _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(rooms.roomSummaries())
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        return router
    }
}

/// The bearer token of the admin endpoints, compared in constant time.
enum AdminToken {
    static func matches(_ authorization: String?, token: String) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let given = Array(authorization.utf8.dropFirst("Bearer ".utf8.count))
        let expected = Array(token.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0
    }
}
