import ArbiterProtocol
import ArbiterServer
import ArenaServer
import Logging
import Testing

/// Settings the wire carries are checked against the schema's own bounds at start, so a server
/// never runs with a tick rate or snapshot interval its Welcome could not encode.
@Suite struct ArenaHostConfigurationTests {
    private func refusal(_ configure: (inout ServerConfiguration) -> Void) -> String? {
        var c = ServerConfiguration()
        c.port = 0
        c.fillBots = 0
        configure(&c)
        do {
            _ = try ArenaHost.make(configuration: c, logger: Logger(label: "arena-host-test"))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func snapshotIntervalsPastWelcomesRangeAreRefused() throws {
        let past = Welcome.Limits.snapshotInterval.upperBound + 4
        // A divisor of the tick rate, so only the wire's range can refuse it.
        let message = try #require(refusal { $0.tickRate = past * 4; $0.snapshotInterval = past })
        #expect(message.contains("--snapshot-interval must be within 1...\(Welcome.Limits.snapshotInterval.upperBound)"))
    }

    @Test func tickRatesPastWelcomesRangeAreRefused() throws {
        let message = try #require(refusal { $0.tickRate = Welcome.Limits.tickRate.upperBound + 1; $0.snapshotInterval = 1 })
        #expect(message.contains("--tick-rate"))
    }

    /// `arbiter-server deploy` checks with `ArenaHost.validate`, not `make`: it must refuse what
    /// `make` refuses, or a manifest would describe pods that never start.
    @Test func validateRefusesWhatMakeRefuses() {
        let cases: [(inout ServerConfiguration) -> Void] = [
            { $0.tickRate = Welcome.Limits.tickRate.upperBound + 1; $0.snapshotInterval = 1 },
            { $0.tickRate = 120; $0.snapshotInterval = Welcome.Limits.snapshotInterval.upperBound + 4 },
            { $0.map = "nowhere" },
        ]
        for configure in cases {
            var c = ServerConfiguration()
            configure(&c)
            #expect(throws: (any Error).self) { try ArenaHost.validate(c) }
            #expect(refusal(configure) != nil)
        }
        #expect(throws: Never.self) { try ArenaHost.validate(ServerConfiguration()) }
    }
}
