import Arena
import ArbiterProtocol

/// Client-side prediction of the player's own ship, the way the browser does it
/// (`Clients/web/src/game/predictor.js`) and with the server's own movement code
/// (`Arena.PlayerMovement`): each Input sent moves the prediction at once; each Snapshot resets
/// it to the server's exact state after the last simulated input (`ackSeq`) and replays the
/// inputs sent since. Where the rebuilt prediction lands more than `correctionThreshold` away
/// from where it was, the player would have seen a correction; that is what it counts.
///
/// This fits the protocol's rule that the server simulates exactly one Input per player per
/// tick, in order, and moves the ship only with one: then the replay is exact and corrections
/// come only from what a client cannot predict (ships pushing each other). Inputs the server
/// repeats, drops or skips show up as corrections.
///
/// A plain value, no clock or I/O: the session feeds it. The pending moves live in a fixed ring
/// and the wall candidates in a reused array, so neither a send nor a reconcile allocates.
public struct OwnShipPredictor: Sendable {
    /// 2 world units, in subunits.
    public static let correctionThreshold: Int32 = 2 * 256

    public enum Outcome: Equatable, Sendable {
        /// No comparison: no prediction yet, dead, just respawned or teleported (`Own.teleport`
        /// changed: the ship snaps), or inputs missing from the ring.
        case reset
        /// The prediction held within the threshold.
        case kept
        /// The prediction moved by this many subunits (more than the threshold).
        case corrected(distance: Int32)
    }

    struct Move: Sendable {
        var x: Int8
        var y: Int8
    }

    private var tuning = Arena.MoveTuning(accel: 0, friction: 0, maxSpeed: 0, radius: 0)
    private var width: Int32 = 0
    private var height: Int32 = 0
    private var walls: [WallRect] = []
    private var candidates: [WallRect] = []
    private var moves: [Move]
    private var oldestSeq: UInt32 = 0
    private var start = 0
    private var count = 0
    private var alive = false
    private var teleport: UInt8?
    /// Whether `predicted` came from a complete replay (else it is no yardstick).
    private var predictionComplete = false
    private var lastTick: UInt32?
    public private(set) var predicted: PlayerMovement.State?
    /// Ticks between consecutive snapshots while the ship was alive in both.
    public private(set) var aliveTicks = 0
    /// Whether another ship was within pushing range at the previous snapshot (a push between
    /// two snapshots shows in the second).
    private var contactInLastSnapshot = false

    public init(capacity: Int = 256) {
        moves = Array(repeating: Move(x: 0, y: 0), count: max(1, capacity))
        candidates.reserveCapacity(64)
    }

    /// Whether MapInfo has arrived: without it nothing is predicted.
    public var hasMap: Bool { tuning.maxSpeed > 0 }

    /// The map's movement constants, size and walls, converted to subunits once.
    public mutating func setMap(_ map: MapInfo) {
        tuning = Arena.MoveTuning(
            accel: map.tuning.accel, friction: map.tuning.friction, maxSpeed: map.tuning.maxSpeed, radius: map.tuning.radius)
        width = Self.subunits(map.width)
        height = Self.subunits(map.height)
        walls = map.walls.map { WallRect(x: Self.subunits($0.x), y: Self.subunits($0.y), w: Self.subunits($0.w), h: Self.subunits($0.h)) }
    }

    /// Forgets the inputs and the prediction (a new connection or a new player).
    public mutating func reset() {
        count = 0
        start = 0
        predicted = nil
        alive = false
        lastTick = nil
        teleport = nil
        predictionComplete = false
        contactInLastSnapshot = false
    }

    /// Input `seq` (following the previous one) was sent with this move vector.
    public mutating func sent(seq: UInt32, moveX: Int, moveY: Int) {
        let move = Move(x: Int8(clamping: moveX), y: Int8(clamping: moveY))
        if count == moves.count {
            start = (start + 1) % moves.count
            oldestSeq &+= 1
            count -= 1
        }
        if count == 0 { oldestSeq = seq }
        moves[(start + count) % moves.count] = move
        count += 1
        if alive, var state = predicted {
            step(&state, move)
            predicted = state
        }
    }

    /// The server's state of the ship after input `ackSeq`, at `tick`: rebuilds the prediction
    /// and says how far it moved.
    public mutating func reconcile(own: Own, ackSeq: UInt32, tick: UInt32) -> Outcome {
        while count > 0, Int32(bitPattern: ackSeq &- oldestSeq) >= 0 {
            start = (start + 1) % moves.count
            oldestSeq &+= 1
            count -= 1
        }
        let wasAlive = alive
        if let lastTick, wasAlive, own.alive { aliveTicks += Int(tick &- lastTick) }
        lastTick = tick
        alive = own.alive
        let placed = teleport != nil && teleport != own.teleport
        teleport = own.teleport
        var next = PlayerMovement.State(
            x: Self.subunits(own.x), y: Self.subunits(own.y), vx: Self.subunits(own.vx), vy: Self.subunits(own.vy))
        if own.alive && hasMap { replay(onto: &next) }
        let previous = predicted
        // The ring may have forgotten inputs the server has not simulated yet: then the replay
        // is incomplete and says nothing.
        let complete = count == 0 || oldestSeq == ackSeq &+ 1
        let comparable = complete && predictionComplete && wasAlive && own.alive && !placed && hasMap
        predictionComplete = complete
        predicted = next
        guard comparable, let previous else { return .reset }
        let dx = Int64(next.x - previous.x), dy = Int64(next.y - previous.y)
        let distanceSquared = dx * dx + dy * dy
        let threshold = Int64(Self.correctionThreshold)
        guard distanceSquared > threshold * threshold else { return .kept }
        return .corrected(distance: Int32(FixedMath.isqrt(distanceSquared)))
    }

    /// Reconciles with `snapshot` (`interval` ticks being one snapshot interval) and counts into
    /// `counts` what a client saw: a correction, whether it came next to another ship (this
    /// snapshot or the one before), and the seconds alive. Returns whether it was a correction.
    /// One definition for every client that counts (`ArbiterSession`, arbiter-bot's lean bots).
    public mutating func observe(
        _ snapshot: Snapshot, ownID: UInt32, interval: Int, tickRate: Int, into counts: inout NetcodeCounts
    ) -> Bool {
        let aliveBefore = aliveTicks
        let contact = touchesAnotherShip(in: snapshot, ownID: ownID, ticks: interval)
        var corrected = false
        if case .corrected = reconcile(own: snapshot.own, ackSeq: snapshot.ackSeq, tick: snapshot.tick) {
            corrected = true
            counts.ownCorrections += 1
            if contact || contactInLastSnapshot { counts.ownCorrectionsInContact += 1 }
        }
        contactInLastSnapshot = contact
        if tickRate > 0 { counts.aliveSeconds += Double(aliveTicks - aliveBefore) / Double(tickRate) }
        return corrected
    }

    /// Whether another living ship in `snapshot` came close enough to push the own ship within
    /// the last `ticks` ticks: within two radii plus both ships' travel at max speed. The server
    /// separates overlapping ships (`World.separateShips`) and no client predicts that, so a
    /// correction next to another ship is a contact, not a misprediction.
    public func touchesAnotherShip(in snapshot: Snapshot, ownID: UInt32, ticks: Int) -> Bool {
        guard hasMap, snapshot.own.alive else { return false }
        let x = Int64(Self.subunits(snapshot.own.x)), y = Int64(Self.subunits(snapshot.own.y))
        let reach = 2 * Int64(tuning.radius) + 2 * Int64(tuning.maxSpeed) * Int64(max(1, ticks))
        for entry in snapshot.entities {
            guard case .player(let ship) = entry.value, entry.id != ownID, ship.alive else { continue }
            let dx = Int64(Self.subunits(ship.x)) - x, dy = Int64(Self.subunits(ship.y)) - y
            if dx * dx + dy * dy <= reach * reach { return true }
        }
        return false
    }

    /// Replays the pending moves. The walls are gathered once for the whole replay: the box the
    /// ship can reach in `count` ticks.
    private mutating func replay(onto state: inout PlayerMovement.State) {
        guard count > 0 else { return }
        collectWalls(around: state, ticks: count)
        for i in 0..<count {
            let move = moves[(start + i) % moves.count]
            PlayerMovement.step(
                &state, moveX: Int(move.x), moveY: Int(move.y), tuning: tuning, mapWidth: width, mapHeight: height, walls: candidates)
        }
    }

    private mutating func step(_ state: inout PlayerMovement.State, _ move: Move) {
        guard hasMap else { return }
        collectWalls(around: state, ticks: 1)
        PlayerMovement.step(&state, moveX: Int(move.x), moveY: Int(move.y), tuning: tuning, mapWidth: width, mapHeight: height, walls: candidates)
    }

    private mutating func collectWalls(around state: PlayerMovement.State, ticks: Int) {
        let reach = Int64(tuning.radius) + Int64(tuning.maxSpeed) * Int64(ticks) + 1
        let minX = Int64(state.x) - reach, maxX = Int64(state.x) + reach
        let minY = Int64(state.y) - reach, maxY = Int64(state.y) + reach
        candidates.removeAll(keepingCapacity: true)
        for wall in walls where Int64(wall.maxX) > minX && Int64(wall.x) < maxX && Int64(wall.maxY) > minY && Int64(wall.y) < maxY {
            candidates.append(wall)
        }
    }

    /// A wire coordinate (exact multiples of 1/256) in subunits.
    static func subunits(_ value: Double) -> Int32 {
        Int32((value * 256).rounded())
    }
}
