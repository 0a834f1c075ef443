import Foundation
import Hummingbird
import Logging

/// Everything that is not the game socket: health, metrics, the room list and the browser
/// client's files. Hummingbird does the routing, safe static paths and content types.
enum HTTPRoutes {
    static func router(
        webRoot: String,
        metrics: ServerMetrics,
        rooms: any RoomDirectory,
        logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: FileMiddleware(fileProvider: WebClientFiles(rootFolder: webRoot, logger: logger), searchForIndexHtml: true))
        router.get("healthz") { _, _ in
            "ok\n"
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
