import ArbiterWebSocket
import NIOCore

/// Counters for one connection, or summed over many (`+=`). Plain integers so a thousand bots on
/// one loop can keep theirs without locks or atomics; read them on the connection's event loop.
public struct WebSocketStatistics: Sendable, Equatable {
    /// Binary messages delivered to the delegate / sent by it.
    public var messagesIn = 0
    public var messagesOut = 0
    /// Payload bytes of those messages.
    public var bytesIn = 0
    public var bytesOut = 0
    /// Bytes of all frames including headers, control frames and (outgoing) masking keys.
    /// Incoming wire bytes are computed from each delivered frame's payload length, so a message
    /// the server fragmented is counted as if it were one frame.
    public var wireBytesIn = 0
    public var wireBytesOut = 0
    /// Time from the call to connect until the TCP connection was up, and until the upgrade
    /// completed; nil until reached.
    public var tcpConnectTime: TimeAmount?
    public var handshakeTime: TimeAmount?

    public init() {}

    /// Sums the counters; connect times keep the larger of the two, which is what a summary of
    /// many connections wants to see next to the histogram of all of them.
    public static func += (lhs: inout Self, rhs: Self) {
        lhs.messagesIn += rhs.messagesIn
        lhs.messagesOut += rhs.messagesOut
        lhs.bytesIn += rhs.bytesIn
        lhs.bytesOut += rhs.bytesOut
        lhs.wireBytesIn += rhs.wireBytesIn
        lhs.wireBytesOut += rhs.wireBytesOut
        lhs.tcpConnectTime = Self.larger(lhs.tcpConnectTime, rhs.tcpConnectTime)
        lhs.handshakeTime = Self.larger(lhs.handshakeTime, rhs.handshakeTime)
    }

    private static func larger(_ a: TimeAmount?, _ b: TimeAmount?) -> TimeAmount? {
        switch (a, b) {
        case let (a?, b?): max(a, b)
        case (nil, let b): b
        case (let a, nil): a
        }
    }

    /// Header bytes of an unmasked (server) frame with this payload length.
    static func serverFrameHeaderSize(payloadLength: Int) -> Int {
        WebSocketFrameHeader.size(payloadLength: payloadLength, masked: false)
    }
}
