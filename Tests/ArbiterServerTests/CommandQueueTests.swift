import Testing

@testable import ArbiterServer

@Suite struct CommandQueueTests {
    /// Inputs beyond the limit are dropped; a join or leave still goes in, in order.
    @Test func fullQueueDropsOnlyDroppableCommands() {
        let queue = CommandQueue<String>(limit: 2)
        #expect(queue.push("input 1"))
        #expect(queue.push("input 2"))
        #expect(!queue.push("input 3"))
        #expect(queue.push("join", droppable: false))
        #expect(!queue.push("input 4"))
        var drained: [String] = []
        queue.swap(into: &drained)
        #expect(drained == ["input 1", "input 2", "join"])
        var empty: [String] = []
        queue.swap(into: &empty)
        #expect(empty.isEmpty)
        #expect(queue.push("input 5"))
    }
}
