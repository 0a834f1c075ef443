@testable import ArbiterServer
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@Suite struct WebRootTests {
    private func folder(withIndex: Bool) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("webroot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if withIndex { try Data("<!doctype html>".utf8).write(to: url.appendingPathComponent("index.html")) }
        return url.path
    }

    @Test func automaticTakesTheFirstFolderWithAnIndex() throws {
        let empty = try folder(withIndex: false)
        let client = try folder(withIndex: true)
        #expect(try WebRoot.automatic.resolve(searchPath: [empty, client, "/nonexistent"]) == client)
    }

    @Test func automaticRefusesToStartAndSaysWhereItLooked() throws {
        let empty = try folder(withIndex: false)
        do {
            _ = try WebRoot.automatic.resolve(searchPath: [empty, "/nonexistent/arbiter-web"])
            Issue.record("resolved without a client")
        } catch {
            #expect(error.description.contains(empty))
            #expect(error.description.contains("/nonexistent/arbiter-web"))
            #expect(error.description.contains("--web-root"))
        }
    }

    @Test func aConfiguredFolderMustHoldTheClient() throws {
        #expect(throws: ConfigurationError.self) { try WebRoot.folder("/nonexistent").resolve() }
        let client = try folder(withIndex: true)
        #expect(try WebRoot.folder(client).resolve() == client)
        #expect(try WebRoot.disabled.resolve(searchPath: []) == nil)
    }

    @Test func theSearchPathIsBesideTheExecutableThenTheSourceTree() {
        let path = WebRoot.searchPath(executable: URL(fileURLWithPath: "/opt/arbiter/bin/arbiter-server"))
        #expect(path.first == "/opt/arbiter/bin/arbiter-web")
        #expect(path.last?.hasSuffix("/Clients/web") == true)
        // This test runs from the source tree, so the automatic search finds the real client.
        #expect(FileManager.default.fileExists(atPath: path.last! + "/index.html"))
    }

    @Test func argumentsParse() {
        #expect(WebRoot(argument: "auto") == .automatic)
        #expect(WebRoot(argument: "none") == .disabled)
        #expect(WebRoot(argument: "/srv/web") == .folder("/srv/web"))
        #expect(WebRoot.folder("/srv/web").description == "/srv/web")
    }
}

@Suite struct ProcessMetricsTests {
    @Test func parsesProcStat() throws {
        // A command name with spaces and a parenthesis, as proc(5) allows.
        let fields = (3...52).map { number -> String in
            switch number {
            case 3: "S"
            case 14: "250"  // utime
            case 15: "150"  // stime
            case 20: "7"  // threads
            case 24: "1000"  // rss pages
            default: "0"
            }
        }
        let line = "4242 (arbiter (x) y) " + fields.joined(separator: " ")
        let sample = try #require(ProcessMetrics.parseStat(line, clockTicksPerSecond: 100, pageSize: 4096))
        #expect(sample == .init(residentBytes: 4_096_000, cpuSeconds: 4, openFileDescriptors: 0, threads: 7))
        #expect(ProcessMetrics.parseStat("garbage", clockTicksPerSecond: 100, pageSize: 4096) == nil)
    }

    @Test func metricsShowBuildInfoAndLiveProcessFigures() throws {
        let text = ServerMetrics().render()
        #expect(text.contains(#"arbiter_build_info{version="\#(BuildInfo.version)",build="debug"} 1"#)
            || text.contains(#"arbiter_build_info{build="debug",version="\#(BuildInfo.version)"} 1"#))
        func value(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        #if os(Linux)
        #expect(try #require(value("process_resident_memory_bytes")) > 1_000_000)
        #expect(try #require(value("process_threads")) >= 2)
        #expect(try #require(value("process_open_fds")) >= 3)
        #expect(try #require(value("process_cpu_seconds_total")) > 0)
        #endif
        #expect(try #require(value("process_start_time_seconds")) > 1_700_000_000)
    }
}

@Suite struct JSONLogHandlerTests {
    @Test func writesOneObjectPerLine() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var handler = JSONLogHandler(label: "arbiter.test") { line in lines.withLockedValue { $0.append(line) } }
        handler.logLevel = .debug
        handler.metadata["instance"] = "a"
        let logger = Logger(label: "arbiter.test") { _ in handler }
        logger.notice("started \"quoted\"\nsecond line", metadata: ["port": "8080", "rooms": ["1", "2"], "level": "spoof"])
        logger.debug("tick")
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 2)
        #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "started \"quoted\"\nsecond line")
        #expect(object["level"] as? String == "notice", "metadata cannot override the level")
        #expect(object["label"] as? String == "arbiter.test")
        #expect(object["port"] as? String == "8080")
        #expect(object["rooms"] as? [String] == ["1", "2"])
        #expect(object["instance"] as? String == "a")
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
    }
}

@Suite(.timeLimit(.minutes(1)))
struct StartErrorTests {
    @Test func aPortInUseIsOneClearLine() async throws {
        let first = try await TestServer.start()
        defer { Task { try await first.running.shutdown() } }
        do {
            let second = try await TestServer.start { $0.port = first.port }
            try await second.running.shutdown()
            Issue.record("a second server bound the same port")
        } catch {
            #expect("\(error)" == "port \(first.port) on 127.0.0.1 is in use (choose another with --port)")
        }
    }
}
