import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Whether this instance still takes players: the one drain state that the game's join path,
/// `/readyz`, `POST /admin/drain`, the signal handler and `DrainService` share. It applies
/// `DrainStateMachine` under a lock, so a drain request turns joins away at once.
public final class ServerDrain: Sendable {
    public typealias Machine = DrainStateMachine<ContinuousClock.Instant>

    private let machine: NIOLockedValueBox<Machine>
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let logger: Logger

    public init(timeout: Duration, logger: Logger = Logger(label: "arbiter.drain")) {
        self.machine = NIOLockedValueBox(Machine(timeout: timeout))
        (self.wakeups, self.wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.logger = logger
    }

    /// True from the first drain request on: new joins are refused (close 4009) and `/readyz`
    /// answers 503.
    public var isDraining: Bool {
        self.machine.withLockedValue { $0.isDraining }
    }

    public var state: Machine.State {
        self.machine.withLockedValue { $0.state }
    }

    /// Starts the drain (or, for a second signal, ends it early).
    public func request(from source: Machine.Source) {
        let action = self.machine.withLockedValue { $0.drainRequested(from: source, now: .now) }
        self.perform(action)
    }

    /// A check while draining; true once the instance should close.
    func check(playersLeft: Int) -> Bool {
        let action = self.machine.withLockedValue { $0.checked(playersLeft: playersLeft, now: .now) }
        self.perform(action)
        return self.isClosing
    }

    /// The process stops without (the rest of) a drain.
    func shutdown() {
        let action = self.machine.withLockedValue { $0.shutdown(now: .now) }
        self.perform(action)
    }

    /// True once the drain has ended (or shutdown began): connections are being closed.
    public var isClosing: Bool {
        if case .closing = self.state { true } else { false }
    }

    /// Waits until the drain starts; returns at once if it has.
    func started() async {
        for await _ in self.wakeups where self.isDraining { return }
    }

    private func perform(_ action: Machine.Action) {
        switch action {
        case .none:
            return
        case .stopTakingPlayers:
            self.logger.notice(
                "draining: no new players; running matches go on until their rooms empty",
                metadata: ["drain_timeout_s": "\(self.machine.withLockedValue { $0.timeout }.components.seconds)"])
        case .close(let cause, let drained):
            // A shutdown without a drain (tests, a failed start) is no news.
            self.logger.log(
                level: cause == .shutdown ? .debug : .notice,
                "closing: every connection gets 1001",
                metadata: ["cause": "\(cause.rawValue)", "drained_s": "\(drained.formattedSeconds)"])
        }
        self.wake.yield()
    }
}

/// Carries a drain through: once `ServerDrain` starts draining, checks the players left every
/// `checkInterval` and returns when the instance should close. Returning shuts the service group
/// down gracefully (1001 to every connection, then the rooms stop).
struct DrainService: Service {
    let drain: ServerDrain
    let rooms: any RoomDirectory
    var checkInterval: Duration = .milliseconds(200)

    func run() async {
        await cancelWhenGracefulShutdown {
            await self.drain.started()
            while !Task.isCancelled {
                // Held seats count: their players may resume into the running match.
                let players = self.rooms.roomSummaries().reduce(0) { $0 + $1.players + $1.held }
                if self.drain.check(playersLeft: players) { return }
                try? await Task.sleep(for: self.checkInterval)
            }
        }
        self.drain.shutdown()
    }
}

extension Duration {
    /// Seconds with one decimal, for log lines.
    var formattedSeconds: String {
        let tenths = (self.components.seconds * 10) + self.components.attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
