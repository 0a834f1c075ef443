#if canImport(Glibc)
import ArbiterServer
import ArenaTestSupport
@testable import ArbiterBench
import Testing

@Suite("The lean load client against an in-process Arena server", .serialized, .timeLimit(.minutes(1)))
struct LeanLoadTests {
    @Test("bots join, get snapshots and acks, and the sampled full decodes agree")
    func playsAgainstServer() async throws {
        let server = try await LiveArenaServer.start()
        let rooms = server.rooms
        let running = server.running

        let clients = 6
        let load = LeanLoad(port: running.port, clients: clients, seed: 7, fullDecodeEvery: 2, threads: 2)
        try await load.connect(clients: clients)
        for _ in 0..<100 where try await load.playing() < clients {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await load.playing() == clients)
        #expect(rooms.roomSummaries().reduce(0) { $0 + $1.players } == clients)
        #expect(try await load.snapshotRate() == 60)

        try await load.startWindow()
        try await Task.sleep(for: .milliseconds(1500))
        let counters = try await load.endWindow()
        await load.stop()
        try await running.shutdown()

        #expect(counters.joins == clients)
        #expect(counters.connectFailures == 0)
        #expect(counters.protocolErrors == 0)
        #expect(counters.closed == 0)
        #expect(counters.kicks == 0)
        // 1.5 s at 60 snapshots per second: far fewer would mean the client is losing them.
        #expect(counters.snapshotsReceived > clients * 30, "\(counters.snapshotsReceived)")
        #expect(counters.fullDecodes > 0 && counters.fullDecodes < counters.snapshotsReceived)
        #expect(counters.inputsSent > clients * 30, "\(counters.inputsSent)")
        #expect(counters.inputAck.count > 0)
        #expect(counters.inputAck.percentile(50) > 0 && counters.inputAck.max < 1_000_000_000)
    }
}
#endif
