#if canImport(Glibc)
import ArbiterServer
import Foundation
import Logging
import NIOCore
import Testing

@testable import ArbiterBench

/// `HTTPGet` scrapes a real in-process server's `/metrics` the way `arbiter-bench capacity` does,
/// and gives nil for what it cannot read.
@Suite("HTTPGet against an in-process server", .serialized, .timeLimit(.minutes(1)))
struct HTTPGetTests {
    @Test("/metrics parses into the tick histogram; a missing page and a closed port give nil")
    func scrapesMetrics() async throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.fillBots = 2
        configuration.webRoot = "/nonexistent"
        var logger = Logger(label: "http-get-test")
        logger.logLevel = .warning
        let (server, _) = try ArenaServer.make(configuration: configuration, metrics: ServerMetrics(), logger: logger)
        let running = try await server.start()
        let port = running.port

        var ticks = PrometheusHistogram()
        for _ in 0..<50 where ticks.count == 0 {
            let text = try #require(await Self.get(port: port, path: "/metrics"))
            ticks = PrometheusHistogram(parsing: text, name: "arbiter_tick_duration_seconds")
            if ticks.count == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ticks.count > 0)
        #expect(ticks.buckets.last?.le == .infinity && ticks.buckets.last?.count == ticks.count)
        #expect(await Self.get(port: port, path: "/no-such-page") == nil)

        try await running.shutdown()
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
