import NIOCore

/// Settings shared by many connections; a value type so one instance can be handed to a
/// thousand bots.
public struct WebSocketClientConfiguration: Sendable {
    /// Largest incoming message (after reassembling fragments). Larger messages fail the
    /// connection with close code 1009.
    public var maxMessageSize: Int = 1 << 20
    /// Limit for the TCP connect and, separately, for the upgrade handshake after it.
    public var connectTimeout: TimeAmount = .seconds(10)
    /// How long to wait for the peer's close frame (or its TCP close) after sending ours.
    public var closeTimeout: TimeAmount = .seconds(5)
    /// Extra headers on the upgrade request (e.g. `User-Agent`).
    public var headers: [(name: String, value: String)] = [("User-Agent", "ArbiterClient")]
    /// Small messages every tick: do not let Nagle hold them back.
    public var tcpNoDelay: Bool = true
    /// Send-side watermarks; nil keeps NIO's defaults.
    public var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark?
    /// How `wss://` connections check the server; nil verifies against the system's trust
    /// roots (``WebSocketTLS/verifying(caFile:)``). Unused for `ws://`.
    public var tls: WebSocketTLS?

    public init() {}
}
