import ArbiterClient
import ArbiterProtocol
import ArenaTestSupport
import NIOWebSocket
import Testing

/// The input pipeline against a live server (Protocol/README.md §5.1): bursts lose nothing and
/// the ack walks through every seq; a flood is closed with 4007 while a neighbour plays on.
@Suite(.timeLimit(.minutes(1)))
struct InputPipelineTests {
    @Test func aBurstOfInputsIsSimulatedWhole() async throws {
        let server = try await LiveArenaServer.start()
        let client = try await ArenaTestClient(port: server.port)
        _ = try await client.join()
        _ = try await client.snapshot { _ in true }
        // 90 inputs in one go, as TCP hands over a stream that stalled for 1.5 s.
        var last: UInt32 = 0
        for _ in 0..<90 { last = try client.input(moveX: 127) }
        var acks: [UInt32] = []
        let done = try await client.snapshot(limit: 200) { snapshot in
            acks.append(snapshot.ackSeq)
            return snapshot.ackSeq == last
        }
        #expect(done.inputBuffer == 0)
        #expect(acks == acks.sorted(), "the ack never goes back")
        #expect(acks.count < 40, "a 90-input backlog drains in well under a second: \(acks.count) snapshots")
        let metrics = PrometheusText(server.metrics.render())
        #expect(metrics.value("arbiter_inputs_dropped_total") == 0 && metrics.value("arbiter_inputs_rejected_total") == 0)
        #expect((metrics.value("arbiter_inputs_caught_up_total") ?? 0) > 0, "the backlog was drained by catch-up")
        try await server.stop()
    }

    @Test func aFloodingClientIsClosedAndItsNeighbourPlaysOn() async throws {
        let server = try await LiveArenaServer.start()
        let neighbour = try await ArenaTestClient(port: server.port)
        _ = try await neighbour.join(name: "calm")
        let flooder = try await ArenaTestClient(port: server.port)
        _ = try await flooder.join(name: "flood")
        for _ in 0..<2_000 { try flooder.input() }
        var kick: Kick?
        while let message = try await flooder.next() {
            if case .kick(let k) = message { kick = k }
        }
        #expect(kick?.reason == .tooManyInputs)
        let info = try await flooder.socket.closed()
        #expect(info.receivedCode == WebSocketErrorCode(codeNumber: 4007))
        // The neighbour still gets every snapshot and its inputs are acknowledged.
        let sent = try neighbour.input()
        _ = try await neighbour.snapshot(limit: 120) { $0.ackSeq == sent }
        try await server.stop()
    }
}
