import Foundation

/// CPU and memory figures from Linux's /proc, for the capacity runs.
enum ProcStats {
    static let clockTicksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The 1-minute load average (runnable tasks): how busy the machine was during a run.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return .nan }
        return text.split(separator: " ").first.flatMap { Double($0) } ?? .nan
    }

    /// utime + stime of a process, in seconds.
    static func cpuSeconds(pid: Int32) -> Double? {
        cpuSplit(pid: pid).map { $0.user + $0.system }
    }

    /// utime and stime of a process, in seconds: system time is where a socket's syscalls go.
    static func cpuSplit(pid: Int32) -> (user: Double, system: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); utime and stime are 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user / clockTicksPerSecond, system / clockTicksPerSecond)
    }

    /// Resident set size in KiB (VmRSS).
    static func rssKiB(pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// CPU seconds every core spent busy (all of /proc/stat's `cpu` line but idle and iowait).
    static func systemBusySeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return 0 }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        // user nice system idle iowait irq softirq steal (guest is already in user).
        var busy = 0.0
        for (i, v) in values.prefix(8).enumerated() where i != 3 && i != 4 { busy += v }
        return busy / clockTicksPerSecond
    }
}
