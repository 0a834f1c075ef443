#if canImport(Glibc)
import ArbiterClient
import Glibc
import LeanSocket
import NIOCore

/// Many bots in one process on the lean transport (`LeanSocket`: raw nonblocking sockets and
/// epoll, no NIO): `threads` threads (one by default) each play their share of the bots. Each
/// bot decodes every message and plays with its `BotBrain`, like a `BotFleet` bot, for a
/// fraction of the CPU: a thousand bots fit in one thread, where NIO's per-message pipeline
/// costs several times as much (the bench's load client measured 36 % of a core against 94 %
/// for 500 clients, Tests/Benchmarks/RESULTS.md). What it leaves out: resuming after a drop,
/// the remote-ship watch (freezes, holds, jumps stay 0), and the terminal view; those need
/// `BotFleet`.
public final class LeanFleet: FleetDriver {
    public let configuration: FleetConfiguration
    private let threads: [LeanBotThread]

    /// Resolves the server's host once (IPv4); throws if it has no IPv4 address.
    public init(configuration: FleetConfiguration, threads count: Int = 1) throws {
        guard let address = LoadSocket.resolveIPv4(host: configuration.url.host, port: configuration.url.port) else {
            throw LeanFleetError.unresolvable(configuration.url.host)
        }
        // A socket whose peer went away must show as a write error, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        let count = max(1, min(count, configuration.bots))
        let spacing = configuration.ramp > 0 ? 1e9 / configuration.ramp : 0
        let origin = NIODeadline.now().uptimeNanoseconds
        threads = (0..<count).map { t in
            let bots = stride(from: t, to: configuration.bots, by: count).map { (index: $0, at: UInt64(Double($0) * spacing)) }
            return LeanBotThread(configuration: configuration, address: address, bots: bots, timelineOrigin: origin)
        }
    }

    /// Starts the threads; bot i connects i / `ramp` seconds later.
    public func start() throws {
        for thread in threads { thread.start() }
    }

    public func sample() async -> FleetSample {
        let reports = await reports()
        return FleetSample(at: .now(), cpuSeconds: ProcessCPU.usedSeconds(), loops: reports.map(\.sample))
    }

    /// Where each playing bot's own ship is (world units), by bot index, as its latest snapshot
    /// says: for checking that bots move.
    public func ownShips() async -> [Int: SIMD2<Double>] {
        await reports().reduce(into: [:]) { all, report in all.merge(report.ownShips) { a, _ in a } }
    }

    /// Stops every bot (close 1000) and waits until the server has answered every close, or each
    /// bot's close timeout has passed.
    public func stop() async {
        for thread in threads { thread.shared.withLock { $0.stopRequested = true } }
        while !threads.allSatisfy({ thread in thread.shared.withLock { $0.finished } }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for thread in threads { thread.join() }
    }

    /// A fresh report from every thread (the final one once it has stopped).
    private func reports() async -> [LeanBotThread.Report] {
        var wanted: [Int] = []
        for thread in threads {
            wanted.append(thread.shared.withLock { shared in
                guard !shared.finished else { return shared.servedReport }
                shared.requestedReport += 1
                return shared.requestedReport
            })
        }
        var reports: [LeanBotThread.Report] = []
        for (thread, generation) in zip(threads, wanted) {
            if !thread.shared.withLock({ $0.started }) {
                reports.append(thread.reportBeforeStart())
                continue
            }
            while true {
                let report = thread.shared.withLock { shared in
                    shared.finished || shared.servedReport >= generation ? shared.report : nil
                }
                if let report {
                    reports.append(report)
                    break
                }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        return reports
    }
}

public enum LeanFleetError: Error, CustomStringConvertible {
    case unresolvable(String)

    public var description: String {
        switch self {
        case .unresolvable(let host): "\(host) has no IPv4 address (the lean transport speaks IPv4; try --transport nio)"
        }
    }
}
#endif
