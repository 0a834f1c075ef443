#if canImport(Glibc)
import Foundation
import Glibc

/// The lean load client: `LoadThread`s (one by default) each playing its share of the bots on
/// raw sockets. One thread costs less CPU per client than two on a two-core machine shared with
/// the server (fewer cross-core wake-ups, bigger epoll batches) and carries 1,000 clients. Bot i
/// connects i / `connectsPerSecond` seconds after `connect` starts, on thread i % threads.
/// Kept by hand rather than on NIO: for 500 clients `NIOLoad` took 94 % of a core, this 36 %
/// (Tests/Benchmarks/RESULTS.md), CPU the server under test needs.
final class LeanLoad: LoadDriver {
    static let connectsPerSecond = 200

    private let threads: [LoadThread]

    init(port: Int, clients: Int, seed: UInt64, fullDecodeEvery: Int, threads count: Int? = nil,
         phasesPerTick: Int = LoadThread.defaultPhasesPerTick, pacing: Bool = true) {
        // A pipe whose reader went away must show as a write error, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let count = max(1, min(count ?? 1, clients))
        let spacing = UInt64(1_000_000_000 / Self.connectsPerSecond)
        threads = (0..<count).map { t in
            let bots = Array(stride(from: t, to: clients, by: count))
            return LoadThread(
                port: port, schedule: bots.map { (bot: $0, at: UInt64($0) * spacing) }, seed: seed,
                fullDecodeEvery: fullDecodeEvery, phasesPerTick: phasesPerTick, pacing: pacing)
        }
    }

    func connect(clients: Int) async throws {
        for thread in threads { thread.start() }
        try await Task.sleep(for: .milliseconds(1000 * clients / Self.connectsPerSecond + 100))
    }

    func playing() async throws -> Int {
        threads.reduce(0) { $0 + $1.shared.withLock { $0.playing } }
    }

    func snapshotRate() async throws -> Double {
        threads.lazy.map { $0.shared.withLock { $0.snapshotRate } }.first { $0 > 0 } ?? 0
    }

    func startWindow() async throws {
        try await reach(.measuring)
    }

    func endWindow() async throws -> LoadCounters {
        try await reach(.ended)
        var total = LoadCounters()
        for thread in threads {
            if let report = thread.shared.withLock({ $0.report }) { total.merge(report) }
        }
        return total
    }

    func stop() async {
        try? await reach(.stopped)
        for thread in threads { thread.join() }
    }

    /// Asks every thread to move to `phase` and waits until they all have (a few ms).
    private func reach(_ phase: LoadThread.Phase) async throws {
        for thread in threads { thread.shared.withLock { $0.requested = phase } }
        while !threads.allSatisfy({ thread in thread.shared.withLock { $0.reached >= phase } }) {
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
#endif
