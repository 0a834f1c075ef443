import Foundation

/// A child process whose stdout is read line by line on a background thread (so it never blocks
/// on a full pipe), killed when the benchmark is done or interrupted.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var finished = false

    init(executable: String, arguments: [String], keepStderr: Bool) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = keepStderr ? FileHandle.standardError : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        ChildRegistry.add(process.processIdentifier)
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending.append(data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    condition.lock(); lines.append(line); condition.broadcast(); condition.unlock()
                }
            }
            condition.lock(); finished = true; condition.broadcast(); condition.unlock()
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// The first unread line satisfying `match`, consuming it and those before it; nil on
    /// timeout or when the child closed its stdout.
    func waitForLine(timeout: Double, where match: (String) -> Bool) -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = lines.firstIndex(where: match) {
                let line = lines[index]
                lines.removeSubrange(...index)
                return line
            }
            if finished || !condition.wait(until: deadline) { return nil }
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after `grace` seconds.
    func stop(grace: Double = 3) {
        guard process.isRunning else { ChildRegistry.remove(pid); return }
        kill(pid, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: grace)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        ChildRegistry.remove(pid)
    }
}

extension ChildProcess {
    /// An `arbiter-server` child on a free port of 127.0.0.1, logging errors only, once it says
    /// it is running: the child and its port. `arguments` come after `--port 0`.
    static func startServer(executable: String, arguments: [String]) throws -> (ChildProcess, Int) {
        let server = try ChildProcess(
            executable: executable, arguments: ["--port", "0", "--log-level", "error"] + arguments, keepStderr: false)
        guard let running = server.waitForLine(timeout: 30, where: { $0.contains("Arbiter is running") }),
              let port = running.split(separator: ":").last.flatMap({ Int($0.filter(\.isNumber)) }) else {
            server.stop()
            throw BenchError("arbiter-server at \(executable) did not start (build it: swift build -c release --product arbiter-server)")
        }
        return (server, port)
    }
}

/// The children alive right now, so Ctrl-C or SIGTERM on the benchmark takes them down too.
enum ChildRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pids: Set<Int32> = []
    /// Read by the signal handler, which may not lock: a fixed array of slots.
    nonisolated(unsafe) private static var slots = [Int32](repeating: 0, count: 8)

    static func add(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        pids.insert(pid)
        sync()
        installHandlers()
    }

    static func remove(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        pids.remove(pid)
        sync()
    }

    private static func sync() {
        let list = Array(pids.prefix(slots.count))
        for i in slots.indices { slots[i] = i < list.count ? list[i] : 0 }
    }

    nonisolated(unsafe) private static var installed = false

    private static func installHandlers() {
        guard !installed else { return }
        installed = true
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                for pid in ChildRegistry.slots where pid > 0 { kill(pid, SIGKILL) }
                _exit(128 + received)
            }
        }
    }
}
