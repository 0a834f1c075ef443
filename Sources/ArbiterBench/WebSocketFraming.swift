import ArbiterWebSocket

/// What a server-to-client WebSocket frame adds to its payload (RFC 6455 §5.2: unmasked, so
/// 2 bytes up to 125 bytes of payload, 4 up to 65 535, 10 beyond).
enum WebSocketFraming {
    static func headerBytes(payload: Int) -> Int {
        WebSocketFrameHeader.size(payloadLength: payload, masked: false)
    }

    static func frameBytes(payload: Int) -> Int { payload + headerBytes(payload: payload) }
}
