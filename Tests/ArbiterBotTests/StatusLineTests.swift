import ArbiterBotKit
import ArenaBot
import Testing

@Suite("Small pieces of arbiter-bot")
struct StatusLineTests {
    @Test("mixed behaviour gives every kind of bot")
    func mixed() {
        let kinds = (0..<8).map { FleetConfiguration.Behavior.mixed.brain(forBot: $0) }
        #expect(Set(kinds.map(\.rawValue)) == ["fight", "wander", "idle"])
        #expect(kinds.filter { $0 == .fight }.count == 4)
        #expect(FleetConfiguration.Behavior.idle.brain(forBot: 3) == .idle)
    }

    @Test("process CPU time grows with work")
    func cpu() {
        let before = ProcessCPU.usedSeconds()
        var x = 0.0
        for i in 0..<20_000_000 { x += Double(i & 7) }
        #expect(x > 0)
        #expect(ProcessCPU.usedSeconds() > before)
    }
}
