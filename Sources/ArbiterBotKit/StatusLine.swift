import Foundation
import NIOCore

/// The one-line live status a terminal shows every second, from two consecutive samples.
public enum StatusLine {
    public static func format(previous: FleetSample, current: FleetSample, bots: Int) -> String {
        let seconds = max(0.001, Double((current.at - previous.at).nanoseconds) / 1e9)
        let snapshots = Double(current.snapshots - previous.snapshots) / seconds
        let kIn = Double(current.transport.wireBytesIn - previous.transport.wireBytesIn) / seconds / 1000
        let kOut = Double(current.transport.wireBytesOut - previous.transport.wireBytesOut) / seconds / 1000
        let cpu = (current.cpuSeconds - previous.cpuSeconds) / seconds * 100
        let ack = current.intervalAck
        return "connected \(current.connected)/\(bots)  snap/s \(fixed(snapshots, 0))  "
            + "in \(fixed(kIn, 1)) kB/s  out \(fixed(kOut, 1)) kB/s  "
            + "ack p50 \(milliseconds(ack.percentile(50))) p99 \(milliseconds(ack.percentile(99)))  "
            + "cpu \(fixed(cpu, 0))%  errors \(current.errors)"
    }

    static func milliseconds(_ nanoseconds: UInt64) -> String {
        fixed(Double(nanoseconds) / 1e6, 1) + "ms"
    }

    /// `value` with `digits` decimals; "-" when it is not a number.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "-"
    }
}
