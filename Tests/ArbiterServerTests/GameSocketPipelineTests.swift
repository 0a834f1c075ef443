import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

import ArbiterWebSocket

@testable import ArbiterServer

/// The game socket's read side as the server installs it after the upgrade (the upgrader's
/// encoder and decoder, then `GameSocketPipeline`), fed bytes as reads would bring them.
@Suite struct GameSocketPipelineTests {
    final class Harness {
        let channel = EmbeddedChannel()
        let connection: ServerWebSocket
        var messages: [[UInt8]] = []

        init(maxMessageSize: Int = 1000) throws {
            try channel.pipeline.syncOperations.addHandler(WebSocketFrameEncoder())
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
            connection = ServerWebSocket(
                eventLoop: channel.eventLoop, request: WebSocketRequest(path: "/play", query: [], remote: "test"),
                allocator: channel.allocator)
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            try GameSocketPipeline.addFrameHandlers(
                to: channel.pipeline.syncOperations, connection: connection, service: Service(maxMessageSize: maxMessageSize),
                settings: TransportSettings(), metrics: ServerMetrics().transport, logger: logger)
            connection.onMessage = { [unowned self] message in self.messages.append(Array(message.readableBytesView)) }
        }

        /// Everything the server wrote, as one byte string.
        func written() throws -> [UInt8] {
            var bytes: [UInt8] = []
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
            return bytes
        }

        struct Service: WebSocketService {
            var maxMessageSize: Int
            func accept(_ connection: ServerWebSocket) {}
            var probesReading: Bool { false }
        }
    }

    @Test func oneByteReadsDeliverEveryMessageAndAnswerThePing() throws {
        let harness = try Harness()
        let big = (0..<300).map { UInt8($0 & 0xFF) }
        var stream = TestFrame.bytes(opcode: 0x2, payload: [1, 2, 3])
        stream += TestFrame.bytes(opcode: 0x9, payload: [7])
        stream += TestFrame.bytes(opcode: 0x2, fin: false, payload: [4])
        stream += TestFrame.bytes(opcode: 0x0, payload: [5, 6])
        stream += TestFrame.bytes(opcode: 0x2, payload: big)
        for byte in stream { try harness.channel.writeInbound(ByteBuffer(bytes: [byte])) }
        #expect(harness.messages == [[1, 2, 3], [4, 5, 6], big])
        #expect(try harness.written() == [0x8A, 0x01, 7])
        #expect(harness.connection.isOpen)
    }

    @Test func manyFramesInOneReadAreAllDelivered() throws {
        let harness = try Harness()
        var stream: [UInt8] = []
        for i in 0..<50 { stream += TestFrame.bytes(opcode: 0x2, payload: [UInt8(i), UInt8(i)]) }
        // The read also ends inside a frame, whose rest comes in the next read.
        let last = TestFrame.bytes(opcode: 0x2, payload: [9, 9, 9])
        try harness.channel.writeInbound(ByteBuffer(bytes: stream + last.prefix(4)))
        #expect(harness.messages.count == 50)
        try harness.channel.writeInbound(ByteBuffer(bytes: last.dropFirst(4)))
        #expect(harness.messages.count == 51)
        #expect(harness.messages.last == [9, 9, 9])
    }

    @Test func unmaskedFrameFailsWith1002AndNothingAfterItIsRead() throws {
        let harness = try Harness()
        let bad = TestFrame.bytes(opcode: 0x2, payload: [1], mask: nil)
        try harness.channel.writeInbound(ByteBuffer(bytes: bad + TestFrame.bytes(opcode: 0x2, payload: [2])))
        #expect(harness.messages.isEmpty)
        let reason = Array(WebSocketViolation.unmasked.description.utf8)
        #expect(try harness.written() == [0x88, UInt8(2 + reason.count), 0x03, 0xEA] + reason)
        #expect(!harness.connection.isOpen)
    }

    @Test func oversizedFrameFailsWith1009() throws {
        let harness = try Harness(maxMessageSize: 100)
        try harness.channel.writeInbound(ByteBuffer(bytes: TestFrame.bytes(opcode: 0x2, payload: [UInt8](repeating: 0, count: 101)).prefix(8)))
        let written = try harness.written()
        #expect(Array(written.prefix(4)) == [0x88, written[1], 0x03, 0xF1])
        #expect(String(decoding: written.dropFirst(4), as: UTF8.self) == CloseCode.tooLargeReason("frame", maxBytes: 100))
    }

    @Test func peersCloseIsAnsweredWithItsCode() throws {
        let harness = try Harness()
        try harness.channel.writeInbound(ByteBuffer(bytes: TestFrame.bytes(opcode: 0x8, payload: [0x03, 0xE8, 0x61])))
        #expect(try harness.written() == [0x88, 0x02, 0x03, 0xE8])
        #expect(!harness.connection.isOpen)
    }
}
