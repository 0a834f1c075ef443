import Foundation
import Prometheus

#if canImport(Glibc)
import Glibc
#endif

/// The process's own figures, read from `/proc/self` each time `/metrics` is scraped (Linux;
/// elsewhere the gauges stay at 0), under the names Prometheus' own clients use, plus
/// `arbiter_build_info{version,build}` = 1.
final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let cpuSeconds: Gauge
    private let openFileDescriptors: Gauge
    private let threads: Gauge
    private let startTime: Gauge

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ name: String, _ unit: String, _ help: String, labels: [(String, String)] = []) -> Gauge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: name, unitName: unit, helpText: help), labels: labels)
        }
        gauge(
            "arbiter_build", "info", "Always 1; the labels say which build runs.",
            labels: [("version", BuildInfo.version), ("build", BuildInfo.configuration)]
        ).set(to: 1)
        self.residentMemory = gauge("process_resident_memory", "bytes", "Resident set size.")
        self.cpuSeconds = gauge("process_cpu_seconds", "total", "User and system CPU time.")
        self.openFileDescriptors = gauge("process_open", "fds", "Open file descriptors.")
        self.threads = gauge("process", "threads", "OS threads.")
        self.startTime = gauge("process_start_time", "seconds", "Start time, seconds since the epoch.")
        self.startTime.set(to: Date().timeIntervalSince1970)
    }

    /// Reads `/proc/self` into the gauges.
    func update() {
        guard let sample = Self.sample() else { return }
        self.residentMemory.set(to: Double(sample.residentBytes))
        self.cpuSeconds.set(to: sample.cpuSeconds)
        self.openFileDescriptors.set(to: Double(sample.openFileDescriptors))
        self.threads.set(to: Double(sample.threads))
    }

    struct Sample: Equatable {
        var residentBytes: Int
        var cpuSeconds: Double
        var openFileDescriptors: Int
        var threads: Int
    }

    static func sample() -> Sample? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let parsed = Self.parseStat(stat, clockTicksPerSecond: Int(sysconf(Int32(_SC_CLK_TCK))),
                                          pageSize: Int(sysconf(Int32(_SC_PAGESIZE))))
        else { return nil }
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        // The listing itself holds one descriptor open.
        return Sample(
            residentBytes: parsed.residentBytes, cpuSeconds: parsed.cpuSeconds,
            openFileDescriptors: max(0, fds - 1), threads: parsed.threads)
        #else
        return nil
        #endif
    }

    /// `/proc/self/stat` (proc(5)): fields after the parenthesised command name, which may hold
    /// spaces; utime and stime (14, 15) in clock ticks, num_threads (20), rss (24) in pages.
    static func parseStat(_ text: String, clockTicksPerSecond: Int, pageSize: Int) -> Sample? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state).
        func field(_ number: Int) -> Int? {
            let index = number - 3
            return fields.indices.contains(index) ? Int(fields[index]) : nil
        }
        guard let utime = field(14), let stime = field(15), let threads = field(20), let rss = field(24),
              clockTicksPerSecond > 0
        else { return nil }
        return Sample(
            residentBytes: rss * pageSize, cpuSeconds: Double(utime + stime) / Double(clockTicksPerSecond),
            openFileDescriptors: 0, threads: threads)
    }
}
