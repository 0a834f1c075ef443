import Logging
import NIOCore
import NIOWebSocket

/// What reads and writes an upgraded connection's frames, after the upgrader's encoder and
/// decoder. One place for the server (`GameChildChannel`) and the input-frame benchmark fixture,
/// so the fixture's figure is the server's.
package enum GameSocketPipeline {
    package static func addFrameHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, connection: ServerWebSocket, service: any WebSocketService,
        settings: TransportSettings, metrics: TransportMetrics, logger: Logger
    ) throws {
        // The upgrader's decoder takes frames up to the largest endpoint's limit (the path is not
        // known when it is added); this endpoint's own limit is checked frame by frame here.
        // (Swapping in a decoder of the endpoint's size crashed the server when the upgrade
        // request and a first frame came in one read: the old decoder handed its leftover
        // frame to the new one on removal. Found by the first-request fuzz target.)
        try pipeline.addHandler(WebSocketFrameValidator(maxFrameSize: service.maxMessageSize))
        try pipeline.addHandler(
            NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 0,
                maxAccumulatedFrameCount: Self.maxFragments(for: service.maxMessageSize),
                maxAccumulatedFrameSize: service.maxMessageSize
            )
        )
        try pipeline.addHandler(
            ServerWebSocketHandler(
                connection: connection,
                settings: settings,
                metrics: metrics,
                logger: logger,
                maxMessageSize: service.maxMessageSize,
                pausesReadsWhileUnwritable: service.pausesReadsWhileUnwritable,
                probesReading: service.probesReading
            )
        )
    }

    /// Enough fragments for any legitimate sender (Autobahn sends 4 MiB in 64-byte pieces),
    /// while an empty-fragment flood still ends the message (min fragment size is 0:
    /// Autobahn 6.1.2 sends empty fragments).
    static func maxFragments(for maxMessageSize: Int) -> Int {
        max(64, maxMessageSize / 64 + 2)
    }
}
