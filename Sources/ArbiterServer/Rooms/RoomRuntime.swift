import NIOConcurrencyHelpers
import NIOCore

/// One room: a `RoomGame` stepped at a fixed rate on its own thread, commands in through a
/// `CommandQueue`, frames out to every event loop through a `LoopFanOut`.
///
/// Threading rules for the game layer:
/// - `submit` from anywhere (usually a connection's loop).
/// - `attach` / `detach` on the member's own loop; `deliver` then runs on that loop.
/// - The `RoomGame` itself only ever runs on the room thread.
public final class RoomRuntime<Game: RoomGame>: @unchecked Sendable {
    // @unchecked: `game` and `commandBuffer` are only touched on the tick thread; the other
    // state is immutable or behind locks.
    public let id: Int
    public let tickRate: Int
    public let snapshotInterval: Int
    public let commands: CommandQueue<Game.Command>
    private let game: Game
    private var commandBuffer: [Game.Command] = []
    private let fanOuts: [ObjectIdentifier: LoopFanOut<Game.Frame>]
    private let latestSummary: NIOLockedValueBox<RoomSummary>
    private let metrics: RoomMetrics
    private var thread: TickThread!

    /// - Parameters:
    ///   - eventLoopGroup: the loops connections live on; the room keeps one fan-out per loop.
    ///   - commandLimit: most commands waiting for one tick (e.g. capacity × inputs per tick × 2).
    ///   - tickPriority: what the room's thread asks the scheduler for (`TickPriority`).
    public init(
        id: Int,
        game: Game,
        tickRate: Int,
        snapshotInterval: Int,
        commandLimit: Int,
        initialSummary: RoomSummary,
        eventLoopGroup: any EventLoopGroup,
        tickPriority: TickPriority = .normal,
        metrics: RoomMetrics
    ) {
        precondition(TickScheduler.supportedRates.contains(tickRate) && tickRate % snapshotInterval == 0)
        self.id = id
        self.game = game
        self.tickRate = tickRate
        self.snapshotInterval = snapshotInterval
        self.commands = CommandQueue(limit: commandLimit)
        self.latestSummary = NIOLockedValueBox(initialSummary)
        self.metrics = metrics
        var fanOuts: [ObjectIdentifier: LoopFanOut<Game.Frame>] = [:]
        for loop in eventLoopGroup.makeIterator() {
            fanOuts[ObjectIdentifier(loop)] = LoopFanOut(loop: loop, superseded: metrics.snapshotsSuperseded)
        }
        self.fanOuts = fanOuts
        self.thread = TickThread(
            name: "room-\(id)",
            tickRate: tickRate,
            priority: tickPriority,
            onStarted: { applied in metrics.tickThreadsStarted[applied]?.increment() },
            body: { [unowned self] tick in self.runTick(tick) },
            onFinished: { overran, skipped in
                if overran { metrics.overruns.increment() }
                if skipped > 0 { metrics.skippedTicks.increment(by: Int(skipped)) }
            }
        )
    }

    /// Queues a command for the next tick; false (and counted) if the room's queue is full and
    /// the command is `droppable` (an input: the next one supersedes it). A join or a leave is
    /// submitted with `droppable: false` and always queued.
    @discardableResult
    public func submit(_ command: Game.Command, droppable: Bool = true) -> Bool {
        guard self.commands.push(command, droppable: droppable) else {
            self.metrics.inputsRejected.increment()
            return false
        }
        return true
    }

    /// On `loop`: `member` receives every following frame there.
    public func attach(_ member: any RoomMember<Game.Frame>, on loop: any EventLoop) {
        self.fanOut(for: loop).attach(member)
    }

    /// On `loop`.
    public func detach(_ member: any RoomMember<Game.Frame>, on loop: any EventLoop) {
        self.fanOut(for: loop).detach(member)
    }

    /// The row for `GET /rooms`, as of the last snapshot tick.
    public var summary: RoomSummary {
        self.latestSummary.withLockedValue { $0 }
    }

    public func start() {
        self.metrics.rooms.increment()
        self.thread.start()
    }

    /// True once the room's tick thread has ended.
    public var isStopped: Bool { self.thread.isStopped }

    /// Asks the tick thread to stop without waiting (see `stop()`).
    public func requestStop() {
        self.thread.requestStop()
    }

    /// Suspends until the tick in progress ends and the room's thread has exited; no tick runs
    /// afterwards. Never blocks a thread of the cooperative pool.
    public func stop() async {
        await self.thread.stop()
        self.metrics.rooms.decrement()
    }

    private func fanOut(for loop: any EventLoop) -> LoopFanOut<Game.Frame> {
        guard let fanOut = self.fanOuts[ObjectIdentifier(loop)] else {
            preconditionFailure("event loop \(loop) is not in the room's event loop group")
        }
        return fanOut
    }

    private func runTick(_ tick: TickScheduler.Tick) {
        let started = MonotonicClock.now()
        self.commands.swap(into: &self.commandBuffer)
        self.game.step(tick: tick.index, commands: self.commandBuffer)
        self.commandBuffer.removeAll(keepingCapacity: true)
        if tick.index % UInt64(self.snapshotInterval) == 0 {
            let frame = self.game.publish(tick: tick.index)
            for fanOut in self.fanOuts.values { fanOut.publish(frame) }
            let summary = self.game.summary(tick: tick.index)
            self.latestSummary.withLockedValue { $0 = summary }
        }
        self.metrics.tickDuration.recordNanoseconds(MonotonicClock.now() - started)
        self.metrics.tickLateness.recordNanoseconds(tick.lateness)
    }
}
