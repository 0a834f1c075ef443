import NIOCore
import NIOWebSocket

/// Checks what only the raw frames still show, before the aggregator merges fragments and
/// unmasks them: the endpoint's frame size, reserved bits (no extension is negotiated), client
/// masking, reserved opcodes.
final class WebSocketFrameValidator: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private let maxFrameSize: Int

    init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    /// After the first violation every further frame is dropped: the connection is failing.
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.failed else { return }
        let frame = Self.unwrapInboundIn(data)
        guard frame.length <= self.maxFrameSize else {
            self.failed = true
            context.fireErrorCaught(NIOWebSocketError.invalidFrameLength)  // as the decoder's own limit
            return
        }
        let violation: WebSocketFrameViolation? =
            if frame.rsv1 || frame.rsv2 || frame.rsv3 {
                .reservedBits
            } else if frame.maskKey == nil {
                .unmasked
            } else if !Self.knownOpcodes.contains(frame.opcode) {
                .reservedOpcode(frame.opcode)
            } else {
                nil
            }
        if let violation {
            self.failed = true
            context.fireErrorCaught(violation)
        } else {
            context.fireChannelRead(data)
        }
    }

    private static let knownOpcodes: [WebSocketOpcode] = [.continuation, .text, .binary, .connectionClose, .ping, .pong]
}

/// A frame that breaks RFC 6455 in a way the NIO decoder lets through.
struct WebSocketFrameViolation: Error, CustomStringConvertible {
    private enum Kind {
        case reservedBits
        case unmasked
        case reservedOpcode(WebSocketOpcode)
    }

    private let kindValue: Kind

    static let reservedBits = Self(kindValue: .reservedBits)
    static let unmasked = Self(kindValue: .unmasked)
    static func reservedOpcode(_ opcode: WebSocketOpcode) -> Self { Self(kindValue: .reservedOpcode(opcode)) }

    var description: String {
        switch self.kindValue {
        case .reservedBits: "reserved bits set without a negotiated extension"
        case .unmasked: "unmasked client frame"
        case .reservedOpcode(let opcode): "reserved opcode \(opcode)"
        }
    }

    /// Label value for the protocol error metric.
    var kind: String {
        switch self.kindValue {
        case .reservedBits: "reserved_bits"
        case .unmasked: "unmasked_frame"
        case .reservedOpcode: "reserved_opcode"
        }
    }
}
