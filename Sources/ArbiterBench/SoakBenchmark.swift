import ArbiterClient
import ArbiterProtocol
import Foundation
import NIOCore
import NIOPosix

/// A long churn against a release server, for leaks: a few players stay in while new ones join
/// and drop at a steady rate (join, play a moment, close without a goodbye, as a browser tab
/// does). It reports the server's RSS, open file descriptors and threads at the start and the
/// end, and how many joins got in. Stops by itself after `seconds`.
public enum SoakBenchmark {
    public struct Options: Sendable {
        public var serverPath = ""
        public var seconds = 600.0
        public var joinsPerSecond = 10.0
        public var steadyPlayers = 8
        public init() {}
    }

    public struct Result: Codable, Sendable {
        public var seconds: Double
        public var joinsAttempted: Int
        public var joinsWelcomed: Int
        public var start: ProcessSample
        public var end: ProcessSample

        public func json() -> String { prettyJSON(self) }
    }

    /// RSS, descriptors and threads of one process, from /proc.
    public struct ProcessSample: Codable, Sendable {
        public var rssKiB: Int
        public var openFiles: Int
        public var threads: Int

        static func of(pid: Int32) -> ProcessSample {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
            var threads = -1
            if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) {
                for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
                    threads = Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) ?? -1
                }
            }
            return ProcessSample(rssKiB: ProcStats.rssKiB(pid: pid) ?? -1, openFiles: fds, threads: threads)
        }
    }

    public static func run(_ options: Options, progress: (String) -> Void) async throws -> Result {
        let (server, port) = try ChildProcess.startServer(executable: options.serverPath, arguments: ["--fill-bots", "2"])
        defer { server.stop() }
        let group = MultiThreadedEventLoopGroup.singleton
        let url = WebSocketURL(host: "127.0.0.1", port: port, path: "/play", query: nil)
        var steady: [AsyncWebSocketConnection] = []
        for i in 0..<options.steadyPlayers {
            if let player = try? await join(url, name: "steady-\(i + 1)", group: group) { steady.append(player) }
        }
        try await Task.sleep(for: .seconds(2))
        let start = ProcessSample.of(pid: server.pid)
        progress("soak: start \(start)")
        let began = ContinuousClock.now
        let period = Duration.seconds(1 / options.joinsPerSecond)
        var attempted = 0, welcomed = 0, next = began
        while ContinuousClock.now - began < .seconds(options.seconds) {
            attempted += 1
            if let player = try? await join(url, name: "churn-\(attempted % 1000)", group: group) {
                welcomed += 1
                _ = try? await player.close(code: .goingAway)
            }
            if attempted % Int(max(1, options.joinsPerSecond * 60)) == 0 {
                progress("soak: \(Int((ContinuousClock.now - began).components.seconds)) s, \(welcomed)/\(attempted) joins, \(ProcessSample.of(pid: server.pid))")
            }
            next += period
            try await Task.sleep(until: next, clock: .continuous)
        }
        for player in steady { _ = try? await player.close() }
        try await Task.sleep(for: .seconds(2))
        let end = ProcessSample.of(pid: server.pid)
        let elapsed = ContinuousClock.now - began
        return Result(
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            joinsAttempted: attempted, joinsWelcomed: welcomed, start: start, end: end)
    }

    /// Connects, says Hello and waits (at most 5 s) for the Welcome.
    private static func join(_ url: WebSocketURL, name: String, group: any EventLoopGroup) async throws -> AsyncWebSocketConnection {
        let socket = try await AsyncWebSocketConnection.connect(to: url, group: group)
        var writer = BitWriter()
        try Hello(protocolVersion: ArenaProtocol.version, schemaHash: ArenaProtocol.schemaHash, name: name).encodeMessage(into: &writer)
        socket.send(writer.bytes)
        let welcomed = try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                var decoder = ServerMessageDecoder()
                for await buffer in socket.messages {
                    if case .welcome? = try? decoder.decode(Array(buffer.readableBytesView)) { return true }
                }
                return false
            }
            tasks.addTask {
                try await Task.sleep(for: .seconds(5))
                return false
            }
            let first = try await tasks.next() ?? false
            tasks.cancelAll()
            return first
        }
        guard welcomed else {
            _ = try? await socket.close()
            throw BenchError("no Welcome for \(name)")
        }
        return socket
    }
}

extension SoakBenchmark.ProcessSample: CustomStringConvertible {
    public var description: String { "RSS \(rssKiB) KiB, \(openFiles) fds, \(threads) threads" }
}
