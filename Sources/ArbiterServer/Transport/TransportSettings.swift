import ArbiterWebSocket
import NIOCore
import NIOWebSocket

/// Socket-level settings shared by every WebSocket endpoint (only the message limit differs
/// between the game and the echo endpoint; that one comes from the `WebSocketService`).
public struct TransportSettings: Sendable {
    // The five settings below have their one definition, default included, in
    // `ServerConfiguration` (the same names, `handshakeTimeout` for `firstRequestTimeout`);
    // `ServerConfiguration.effectiveTransport` copies them in. Zero here means "not set yet".

    /// A client that stops reading for this long is dropped with `CloseCode.slowClient`.
    public var slowClientTimeout: TimeAmount = .zero
    /// A connection must send its first byte within this (the handshake timeout).
    public var firstRequestTimeout: TimeAmount = .zero
    /// A connection must complete its first request (head and body) this long after accept, and
    /// each later one this long after its head.
    public var requestTimeout: TimeAmount = .zero
    /// A keep-alive HTTP connection is closed after this long without the head of a next request
    /// (Hummingbird's idle timeout).
    public var idleTimeout: TimeAmount = .zero
    /// Browser origins allowed to open a WebSocket; empty: same origin only.
    public var allowedOrigins: [String] = []
    /// How long a server-initiated close waits for the peer's close frame before closing TCP.
    public var closeTimeout: TimeAmount = .seconds(1)
    /// Longest request line (method, target, version) before `414 URI Too Long`.
    public var maxRequestLine = 8 * 1024
    /// Largest header field and header block before `431 Request Header Fields Too Large`.
    public var maxHeaderBytes = 16 * 1024
    /// Largest request body before `413 Content Too Large`; no route takes a body.
    public var maxBodyBytes = 16 * 1024
    /// Whether loopback clients count against `ServerConfiguration.maxConnectionsPerAddress`.
    /// Off: on loopback every client shares one address (a local reverse proxy, a load test),
    /// so a per-address cap there would cap everyone at once. Tests turn it on.
    public var limitsLoopbackPerAddress = false
    /// Tight watermarks: a ~10 KB/s snapshot stream must notice a stalled reader within a few
    /// snapshots, not after 64 KiB of stale state has piled up (see the transport notes).
    public var writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 4 * 1024, high: 8 * 1024)
    /// Kernel send buffer per socket; small so that unwritability reflects the peer, not the kernel.
    /// `nil` keeps the system's autotuning.
    public var socketSendBuffer: Int? = 64 * 1024

    public init() {}
}

/// Close codes the server sends, in one place.
public enum CloseCode {
    /// The peer did not read its snapshots for `slowClientTimeout`. Application range (4000+),
    /// so clients can tell it apart from a generic policy violation.
    public static let slowClient = WebSocketErrorCode(codeNumber: 4005)
    public static let slowClientReason = "slow client"
    public static let shuttingDown = WebSocketErrorCode.goingAway
    public static let shuttingDownReason = "server shutting down"
    /// The game socket takes binary messages only (1003, `unacceptableData`).
    public static let textFrameReason = "text frames are not accepted"
    /// A close frame whose reason is not UTF-8 (1007).
    public static let closeReasonNotUTF8 = WebSocketViolation.closeReasonNotUTF8.description

    /// A frame (`unit` "frame") or a reassembled message ("message") over the limit (1009).
    public static func tooLargeReason(_ unit: String, maxBytes: Int) -> String {
        WebSocketViolation.tooLargeReason(unit, maxBytes: maxBytes)
    }

}
