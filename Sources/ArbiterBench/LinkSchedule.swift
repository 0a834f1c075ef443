import Arena
import Foundation
import NIOCore

/// When the bytes of one direction of a conditioned TCP stream may be delivered: a pure state
/// machine that takes arrival times and byte counts and answers release times, so the proxy
/// around it (`LinkConditioner`) only moves bytes and sets timers. Times are nanoseconds since
/// the conditioner started; the caller passes them in, never a clock read here.
///
/// The model, per direction:
/// - a read is cut into segments of at most `segmentBytes`; each segment's one-way delay is
///   RTT/2 plus normal jitter (σ `jitterMs`), never below zero;
/// - the stream stays in order: a segment is released at max(its own due time, the previous
///   segment's release), as TCP delivers;
/// - a segment is lost with `lossPercent`; TCP then recovers it by fast retransmit when a later
///   segment is sent soon enough for its duplicate ACK to come back before the retransmission
///   timer (stall = the gap to that segment + RTT), otherwise by the timer (stall = `rtoMs`).
///   The lost segment holds everything behind it, which then comes in one burst;
/// - during an outage nothing is released; what fell due in it comes out when it ends.
/// Every segment draws its jitter and its loss from a SplitMix64 stream of `seed`, so a run with
/// the same arrivals repeats exactly.
public struct LinkSchedule: Sendable {
    struct Segment: Sendable {
        var bytes: Int
        /// Its own earliest release, loss stall included.
        var due: Int64
        var serial: UInt64
    }

    /// A lost segment whose recovery (fast retransmit or timer) is not known yet.
    struct Loss: Sendable {
        var serial: UInt64
        var arrival: Int64
    }

    private let oneWay: Double
    private let sigma: Double
    private let lossChance: Double
    private let rtt: Int64
    private let rto: Int64
    private let segmentBytes: Int
    private let outage: Range<Int64>?
    private var random: SeededRandom
    private var queue = CircularBuffer<Segment>(initialCapacity: 64)
    private var lastRelease: Int64 = .min
    private var nextSerial: UInt64 = 0
    private var undecided: Loss?
    /// Segments lost so far, and how many of them were recovered by fast retransmit (the rest
    /// waited for the timer).
    public private(set) var losses = 0
    public private(set) var fastRetransmits = 0

    public init(profile: LinkProfile, seed: UInt64) {
        oneWay = profile.rttMs * 1e6 / 2
        sigma = profile.jitterMs * 1e6
        lossChance = profile.lossPercent / 100
        rtt = Int64(profile.rttMs * 1e6)
        rto = Int64(profile.rtoMs * 1e6)
        segmentBytes = max(1, profile.segmentBytes)
        outage = profile.outageNanoseconds
        random = SeededRandom(seed: seed)
    }

    /// Bytes held, not yet released.
    public var heldBytes: Int { queue.reduce(0) { $0 + $1.bytes } }
    public var isEmpty: Bool { queue.isEmpty }

    /// `byteCount` bytes were written into this direction at `now`.
    public mutating func send(_ byteCount: Int, at now: Int64) {
        var left = byteCount
        while left > 0 {
            let bytes = min(left, segmentBytes)
            left -= bytes
            enqueue(bytes: bytes, at: now)
        }
    }

    /// When the next bytes may be released, or nil when nothing is held.
    public var nextRelease: Int64? {
        guard let head = queue.first else { return nil }
        return Self.skipping(outage, max(head.due, lastRelease))
    }

    /// Removes and returns how many bytes are due by `now`, in stream order.
    public mutating func release(upTo now: Int64) -> Int {
        var bytes = 0
        while let head = queue.first {
            let at = Self.skipping(outage, max(head.due, lastRelease))
            guard at <= now else { break }
            lastRelease = at
            bytes += head.bytes
            queue.removeFirst()
        }
        return bytes
    }

    private mutating func enqueue(bytes: Int, at now: Int64) {
        // The same draws per segment whatever happens, so the stream of draws depends only on
        // the number of segments.
        let jitter = sigma * normal()
        let lost = Double(random.next() >> 11) / Double(1 << 53) < lossChance
        decideLoss(nextArrival: now)
        var due = now + Int64(max(0, oneWay + jitter))
        if lost {
            losses += 1
            due += rto
            undecided = Loss(serial: nextSerial, arrival: now)
        }
        queue.append(Segment(bytes: bytes, due: due, serial: nextSerial))
        nextSerial &+= 1
    }

    /// A segment sent after an undecided loss: its duplicate ACK reaches the sender one RTT
    /// later, and the retransmission replaces the timer if that comes sooner.
    private mutating func decideLoss(nextArrival: Int64) {
        guard let loss = undecided else { return }
        undecided = nil
        let fast = nextArrival - loss.arrival + rtt
        guard fast < rto else { return }
        for i in queue.indices where queue[i].serial == loss.serial {
            fastRetransmits += 1
            queue[i].due -= rto - fast
            return
        }
    }

    /// A standard normal draw (Box-Muller, one of the pair).
    private mutating func normal() -> Double {
        let u1 = (Double(random.next() >> 11) + 1) / Double(1 << 53)
        let u2 = Double(random.next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    private static func skipping(_ outage: Range<Int64>?, _ time: Int64) -> Int64 {
        guard let outage, outage.contains(time) else { return time }
        return outage.upperBound
    }
}
