import Arena
import ArbiterProtocol
import Testing

@testable import ArenaServer

/// The player input buffer (Protocol/README.md §12): nothing lost to bursts, one input a tick,
/// a hold when dry, catch-up above the target.
@Suite struct InputBufferTests {
    private func input(_ seq: UInt32) -> QueuedInput {
        QueuedInput(Input(seq: seq, moveX: 0, moveY: 0, aim: 0, fire: false, secondary: false, viewTick: 0))
    }

    private func tick(_ buffer: inout InputBuffer) -> [UInt32] {
        var taken: [UInt32] = []
        buffer.take { taken.append($0.seq) }
        return taken
    }

    @Test func oneInputPerTickAndAHoldWhenDry() {
        var buffer = InputBuffer(capacity: 240, target: 3)
        #expect(buffer.push(input(1)) == .queued)
        #expect(buffer.push(input(2)) == .queued)
        #expect(tick(&buffer) == [1] && buffer.ackSeq == 1 && buffer.count == 1)
        #expect(tick(&buffer) == [2] && buffer.ackSeq == 2)
        #expect(tick(&buffer) == [] && buffer.ackSeq == 2, "dry: nothing taken, the ack stays")
        #expect(buffer.push(input(3)) == .queued)
        #expect(tick(&buffer) == [3])
    }

    /// A TCP stall releases a burst: every input is simulated, in order, none twice, and the
    /// backlog drains at up to four a tick.
    @Test func aBurstIsKeptWholeAndDrainsFast() {
        var buffer = InputBuffer(capacity: 240, target: 3)
        for seq in 1...120 { #expect(buffer.push(input(UInt32(seq))) == .queued) }
        var simulated: [UInt32] = []
        var ticks = 0
        while buffer.count > 0 {
            simulated += tick(&buffer)
            ticks += 1
        }
        #expect(simulated == Array(1...120))
        #expect(ticks < 40, "120 inputs drain in \(ticks) ticks")
        #expect(buffer.ackSeq == 120)
    }

    @Test func noCatchUpUpToTheTarget() {
        for waiting in 0...4 {
            #expect(InputBuffer.taken(waiting: waiting, target: 3) == min(waiting, 1))
        }
        #expect(InputBuffer.taken(waiting: 5, target: 3) == 2)
        #expect(InputBuffer.taken(waiting: 500, target: 3) == InputBuffer.maxPerTick)
    }

    @Test func staleAndOverflowingInputsAreRefused() {
        var buffer = InputBuffer(capacity: 3, target: 1)
        #expect(buffer.push(input(5)) == .queued)
        #expect(buffer.push(input(5)) == .stale)
        #expect(buffer.push(input(4)) == .stale)
        #expect(buffer.push(input(6)) == .queued && buffer.push(input(7)) == .queued)
        #expect(buffer.push(input(8)) == .full)
        #expect(buffer.count == 3)
    }

    @Test func aResumedConnectionMayStartItsSequenceAnew() {
        var buffer = InputBuffer(capacity: 10, target: 2)
        _ = buffer.push(input(50))
        _ = tick(&buffer)
        _ = buffer.push(input(51))
        buffer.restart()
        #expect(buffer.count == 0 && buffer.ackSeq == 50, "the ack carries over")
        #expect(buffer.push(input(1)) == .queued)
        #expect(buffer.push(input(1)) == .stale)
        #expect(tick(&buffer) == [1] && buffer.ackSeq == 1)
    }

    /// The storage is compacted in place: a long steady stream never grows it.
    @Test func steadyStreamKeepsItsStorage() {
        var buffer = InputBuffer(capacity: 240, target: 3)
        for seq in 1...3 { _ = buffer.push(input(UInt32(seq))) }
        var seq: UInt32 = 4
        for _ in 0..<10_000 {
            _ = buffer.push(input(seq))
            seq += 1
            _ = tick(&buffer)
        }
        #expect(buffer.count == 3)
    }
}

@Suite struct InputRateLimitTests {
    @Test func aClientAtTheTickRateIsNeverLimited() {
        var limit = InputRateLimit(tickRate: 60, capacity: 240)
        let tick: Int64 = 1_000_000_000 / 60
        var refused = 0
        for i in 0..<(60 * 120) where !limit.admit(now: Int64(i) * tick) { refused += 1 }
        #expect(refused == 0)
    }

    @Test func anOutageBurstPassesWhole() {
        var limit = InputRateLimit(tickRate: 60, capacity: 240)
        for i in 0..<600 { _ = limit.admit(now: Int64(i) * 16_666_667) }
        // 2 s of inputs held by the network arrive in the same millisecond.
        let now: Int64 = 600 * 16_666_667 + 2_000_000_000
        var refused = 0
        for _ in 0..<120 where !limit.admit(now: now) { refused += 1 }
        #expect(refused == 0)
    }

    @Test func aFloodIsStoppedWithinTheBucket() {
        var limit = InputRateLimit(tickRate: 60, capacity: 240)
        var admitted = 0
        for i in 0..<100_000 where limit.admit(now: Int64(i) * 6_250) { admitted += 1 }  // 160,000/s
        // The bucket, plus what refills at 1.25 × 60/s during the flood's 0.625 s.
        #expect(admitted <= 240 + 47)
    }
}

/// The compact form inputs wait in (`QueuedInput`): the simulation gets what it got from the
/// decoded `Input`, in a third of the bytes.
@Suite struct QueuedInputTests {
    @Test func theSimulationGetsTheSameInput() {
        let input = Input(seq: 77, moveX: -127, moveY: 127, aim: Double.pi / 2, fire: true, secondary: false, viewTick: 1000)
        let queued = QueuedInput(input)
        #expect(queued.seq == 77)
        let applied = queued.playerInput(appliedFor: 1003)
        #expect(applied == PlayerInput(moveX: -127, moveY: 127, aim: 16384, fire: true, secondary: false, lagTicks: 3))
        #expect(QueuedInput(Input(seq: 1, secondary: true)).playerInput(appliedFor: 0).secondary)
        #expect(!QueuedInput(Input(seq: 1, secondary: true)).playerInput(appliedFor: 0).fire)
    }

    @Test func aimAndMoveAreBoundedLikeTheSimulation() {
        // A full turn is 0 again; a move past the schema's bound clamps (the decoder refuses it
        // first, but a bot's input comes from code).
        let queued = QueuedInput(Input(seq: 1, moveX: 500, moveY: -500, aim: 2 * Double.pi, viewTick: 0))
        #expect(queued.aim == 0 && queued.moveX == 127 && queued.moveY == -127)
        #expect(QueuedInput(Input(seq: 1, aim: .nan)).aim == 0)
    }

    @Test func aViewTickAheadOfTheServerIsNoLag() {
        #expect(QueuedInput(Input(seq: 1, viewTick: 10)).playerInput(appliedFor: 5).lagTicks == 0)
        // The 16-bit view tick wraps with the server's.
        #expect(QueuedInput(Input(seq: 1, viewTick: 65535)).playerInput(appliedFor: 65536 + 2).lagTicks == 3)
        #expect(QueuedInput(Input(seq: 1, viewTick: 0)).playerInput(appliedFor: 400).lagTicks == 255, "capped at a byte")
    }

    /// What the memory figure rests on: both queues keep their largest burst's capacity, so
    /// these sizes are bytes per player (`Tests/Benchmarks/RESULTS.md`, "Memory per connection").
    @Test func queuedInputsAndCommandsStaySmall() {
        #expect(MemoryLayout<QueuedInput>.stride == 12)
        #expect(MemoryLayout<ArenaCommand>.stride <= 16)
    }
}
