import Logging
import NIOCore
import NIOWebSocket

/// What reads and writes an upgraded connection's frames, after the upgrader's encoder and
/// decoder (which goes). With `descriptor` (the plain socket's, `DirectSocketWrite`) game frames
/// are written to it directly. One place for the server (`GameChildChannel`) and the input-frame benchmark fixture,
/// so the fixture's figure is the server's.
package enum GameSocketPipeline {
    package static func addFrameHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, connection: ServerWebSocket, service: any WebSocketService,
        settings: TransportSettings, metrics: TransportMetrics, logger: Logger, descriptor: CInt? = nil
    ) throws {
        let handler = ServerWebSocketHandler(
            connection: connection,
            settings: settings,
            metrics: metrics,
            logger: logger,
            maxMessageSize: service.maxMessageSize,
            maxFragments: Self.maxFragments(for: service.maxMessageSize),
            pausesReadsWhileUnwritable: service.pausesReadsWhileUnwritable,
            probesReading: service.probesReading,
            descriptor: descriptor
        )
        // The handler parses frames itself, so the upgrader's decoder goes. Its removal finishes
        // only on the loop's next turn, while the upgrade handler replays the bytes that came
        // with the request as soon as this returns: the handler goes in front of the decoder,
        // which then never sees a byte. (Handing a decoder's leftovers to a successor crashed the
        // server once; found by the first-request fuzz target.) The upgrader's encoder stays: it
        // cannot be removed, and the handler writes past it, already framed.
        if let decoder = try? pipeline.context(handlerType: ByteToMessageHandler<WebSocketFrameDecoder>.self) {
            try pipeline.addHandler(handler, position: .before(decoder.handler))
            pipeline.removeHandler(context: decoder, promise: nil)
        } else {
            try pipeline.addHandler(handler)
        }
    }

    /// Enough fragments for any legitimate sender (Autobahn sends 4 MiB in 64-byte pieces),
    /// while an empty-fragment flood still ends the message (min fragment size is 0:
    /// Autobahn 6.1.2 sends empty fragments).
    static func maxFragments(for maxMessageSize: Int) -> Int {
        max(64, maxMessageSize / 64 + 2)
    }
}
