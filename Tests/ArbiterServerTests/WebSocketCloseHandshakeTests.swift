import NIOCore
import Testing

import ArbiterWebSocket

@testable import ArbiterServer

/// The close handshake's rules, without a socket.
@Suite struct WebSocketCloseHandshakeTests {
    static func payload(code: UInt16?, reason: [UInt8] = []) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let code { buffer.writeInteger(code) }
        buffer.writeBytes(reason)
        return buffer
    }

    @Test func peerClosesFirstAndIsAnsweredWithItsCode() {
        var handshake = WebSocketCloseHandshake()
        #expect(handshake.receivedClose(payload: Self.payload(code: 1000, reason: Array("bye".utf8))) == .answer(code: 1000, reason: "bye"))
        #expect(handshake.state == .closing)
        #expect(!handshake.answersPing())
        #expect(!handshake.deliversMessages())
        // A second close frame from the peer just ends it.
        #expect(handshake.receivedClose(payload: Self.payload(code: 1000)) == .closeConnection)
    }

    @Test func emptyCloseIsAnsweredEmpty() {
        var handshake = WebSocketCloseHandshake()
        #expect(handshake.receivedClose(payload: Self.payload(code: nil)) == .answer(code: nil, reason: nil))
    }

    @Test func weCloseFirstAndThePeersAnswerEndsIt() {
        var handshake = WebSocketCloseHandshake()
        let first = handshake.close()
        let second = handshake.close()
        #expect(first)
        #expect(!second, "one close frame only")
        #expect(handshake.receivedClose(payload: Self.payload(code: 4005)) == .closeConnection)
        let gone = handshake.closed()
        let goneAgain = handshake.closed()
        #expect(gone)
        #expect(!goneAgain, "reported once")
        #expect(handshake.receivedClose(payload: Self.payload(code: 1000)) == .ignore)
    }

    @Test(arguments: [0 as UInt16, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])
    func closeCodesAPeerMayNotSendFailTheConnection(code: UInt16) {
        var handshake = WebSocketCloseHandshake()
        #expect(handshake.receivedClose(payload: Self.payload(code: code)) == .fail(.invalidCloseCode(code)))
        #expect(handshake.isOpen, "the handler fails it, with its own close frame")
    }

    @Test(arguments: [1000 as UInt16, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999])
    func closeCodesAPeerMaySend(code: UInt16) {
        var handshake = WebSocketCloseHandshake()
        #expect(handshake.receivedClose(payload: Self.payload(code: code)) == .answer(code: code, reason: ""))
    }

    @Test func oneBytePayloadAndBadReasonFail() {
        var one = WebSocketCloseHandshake()
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(3))
        #expect(one.receivedClose(payload: buffer) == .fail(.closePayloadOfOneByte))
        #expect(WebSocketViolation.closePayloadOfOneByte.code == .protocolError)
        var bad = WebSocketCloseHandshake()
        #expect(bad.receivedClose(payload: Self.payload(code: 1000, reason: [0xCE, 0xBA, 0xE1])) == .fail(.closeReasonNotUTF8))
        #expect(WebSocketViolation.closeReasonNotUTF8.code == .dataInconsistentWithMessage)
    }
}
