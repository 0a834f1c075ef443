#if canImport(Glibc)
import ArenaTestSupport
import Foundation
import NIOCore
import Testing

@testable import ArbiterBench

/// `HTTPGet` scrapes a real in-process server's `/metrics` the way `arbiter-bench capacity` does,
/// and gives nil for what it cannot read.
@Suite("HTTPGet against an in-process server", .serialized, .timeLimit(.minutes(1)))
struct HTTPGetTests {
    @Test("/metrics parses into the tick histogram; a missing page and a closed port give nil")
    func scrapesMetrics() async throws {
        let server = try await LiveArenaServer.start { $0.fillBots = 2 }
        let port = server.port

        var ticks = PrometheusHistogram()
        for _ in 0..<50 where ticks.count == 0 {
            let text = try #require(await Self.get(port: port, path: "/metrics"))
            ticks = PrometheusHistogram(parsing: text, name: "arbiter_tick_duration_seconds")
            if ticks.count == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ticks.count > 0)
        #expect(ticks.buckets.last?.le == .infinity && ticks.buckets.last?.count == ticks.count)
        #expect(await Self.get(port: port, path: "/no-such-page") == nil)

        try await server.stop()
        #expect(await Self.get(port: port, path: "/metrics") == nil)
    }

    /// `HTTPGet` blocks, as on the capacity benchmark's sampling thread: run it on a thread of its own.
    static func get(port: Int, path: String) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: HTTPGet.body(port: port, path: path, timeout: .seconds(2)))
            }
        }
    }
}
#endif
