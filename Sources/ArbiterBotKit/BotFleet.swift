import ArbiterClient
import ArenaBot
import NIOCore
import NIOPosix

/// Many bots in one process: spread over the event loops of one group, each loop with one
/// `SessionTicker` and one `SessionMetrics` for all its bots, so a thousand bots cost a few
/// threads and one timer per loop, not a thread or task each.
public final class BotFleet: Sendable {
    public let configuration: FleetConfiguration
    let loops: [FleetLoop]

    public init(configuration: FleetConfiguration, group: any EventLoopGroup) {
        self.configuration = configuration
        var loops: [FleetLoop] = []
        let origin = NIODeadline.now().uptimeNanoseconds
        for loop in group.makeIterator() {
            loops.append(FleetLoop(loop: loop, tickRate: 60, timelineOrigin: origin))
        }
        self.loops = loops
    }

    /// Resolves the server once and schedules every bot's connect, `ramp` per second.
    public func start() throws {
        var session = ArbiterSession.Configuration(name: "")
        session.transport = configuration.transport
        session.reconnect = configuration.reconnect
        session.pendingInputWindow = configuration.pendingInputWindow
        session.address = try SocketAddress.makeAddressResolvingHost(configuration.url.host, port: configuration.url.port)
        let interval = configuration.ramp > 0 ? 1e9 / configuration.ramp : 0
        let configuration = self.configuration
        for index in 0..<configuration.bots {
            let home = loops[index % loops.count]
            var named = session
            named.name = configuration.name(forBot: index)
            let sessionConfiguration = named
            let delay = TimeAmount.nanoseconds(Int64(Double(index) * interval))
            home.loop.scheduleTask(in: delay) {
                guard !home.stopping else { return }
                let brain = BotBrain(
                    seed: configuration.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15,
                    behavior: configuration.behavior.brain(forBot: index))
                let player = BotPlayer(home: home, index: index, brain: brain, watched: configuration.watchedBot == index)
                let session = ArbiterSession(
                    url: configuration.url, configuration: sessionConfiguration, ticker: home.ticker, metrics: home.metrics)
                session.delegate = player
                player.session = session
                home.players.append(player)
                session.start()
            }
        }
    }

    /// Everything so far; starts a new interval for the interval histograms.
    public func sample() async -> FleetSample {
        var samples: [LoopSample] = []
        for home in loops {
            if let sample = try? await home.loop.submit({ home.collect() }).get() { samples.append(sample) }
        }
        return FleetSample(at: .now(), cpuSeconds: ProcessCPU.usedSeconds(), loops: samples)
    }

    /// Stops every bot (close 1000, no reconnect) and waits up to `timeout` for the closes to
    /// finish, so the final sample holds every byte.
    public func stop(timeout: TimeAmount = .seconds(3)) async {
        for home in loops {
            try? await home.loop.submit {
                home.stopping = true
                for player in home.players {
                    player.stopping = true
                    let state = player.session.state
                    player.awaitingClose = state == .connecting || state == .awaitingWelcome || state == .playing
                    player.leave()
                    player.session.stop()
                }
            }.get()
        }
        let deadline = NIODeadline.now() + timeout
        while NIODeadline.now() < deadline {
            var open = 0
            for home in loops {
                open += (try? await home.loop.submit { home.players.reduce(0) { $0 + ($1.awaitingClose ? 1 : 0) } }.get()) ?? 0
            }
            if open == 0 { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs `body` on the watched bot's loop with its session, if that bot exists yet, and
    /// waits for it. Not from an event loop (it blocks).
    public func withWatchedBot<T: Sendable>(_ body: @escaping @Sendable (BotWatch) -> T) -> T? {
        guard let index = configuration.watchedBot else { return nil }
        let home = loops[index % loops.count]
        return try? home.loop.submit { () -> T? in
            guard let player = home.players.first(where: { $0.index == index }) else { return nil }
            return body(BotWatch(player: player))
        }.wait()
    }
}

/// Read access to one bot for the view, on its event loop.
public struct BotWatch {
    let player: BotPlayer
    public var session: ArbiterSession { player.session }
    /// This bot's own latest input→ack time.
    public var inputAckNanoseconds: UInt64? { player.lastAckNanoseconds }
}
