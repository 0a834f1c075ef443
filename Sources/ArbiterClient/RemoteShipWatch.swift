import ArbiterProtocol

/// Watches the other players' ships across the snapshots one client receives and flags what a
/// viewer would see go wrong with them:
/// - a **freeze**: the snapshot came too late for a client's playout (`PlayoutClock`), so the
///   ship stood still on screen for more than a snapshot interval while on the server it moved
///   (its position changed across the late snapshot); counted once per such ship;
/// - a **hold**, in server ticks: a ship that was moving stands still in the snapshots for more
///   than one snapshot interval, then moves on at speed: the server held it (its owner's inputs
///   ran dry). Both speeds must exceed twice the acceleration: the movement model can neither
///   stop from that speed nor reach it from rest in one tick, so a real stop against a wall does
///   not count;
/// - a **jump**: a ship that moves further between two consecutive snapshots than
///   `maxSpeed × ticks × 1.5`, not across a death, respawn or teleport (`Player.teleport`).
/// A ship that left the view (missing from a snapshot) starts afresh when it comes back.
///
/// A plain value fed by the session. Tracks live in a dictionary by entity id that is reused:
/// updating a known ship does not allocate.
public struct RemoteShipWatch: Sendable {
    public struct Findings: Equatable, Sendable {
        public var freezes = 0
        public var holds = 0
        public var jumps = 0
        /// Steps looked at: a living ship seen in two consecutive snapshots.
        public var steps = 0
        public init(freezes: Int = 0, holds: Int = 0, jumps: Int = 0, steps: Int = 0) {
            self.freezes = freezes
            self.holds = holds
            self.jumps = jumps
            self.steps = steps
        }
    }

    struct Track: Sendable {
        var x: Int32
        var y: Int32
        var tick: UInt32
        var alive: Bool
        var teleport: UInt8
        /// The snapshot (count on this connection) it was last seen in.
        var seenIn: Int
        /// Speed, in subunits per tick squared, over the last step that moved it.
        var speedSquared: Int64
        /// The tick it was first seen at its current position, if it was moving before.
        var stillSince: UInt32?
    }

    private var tracks: [UInt32: Track] = [:]
    private var snapshots = 0
    private var maxSpeed: Int64 = 0
    private var accel: Int64 = 0
    private var ownID: UInt32?

    public init() {
        tracks.reserveCapacity(64)
    }

    public mutating func setMap(_ map: MapInfo, ownID: UInt32) {
        maxSpeed = Int64(map.tuning.maxSpeed)
        accel = Int64(map.tuning.accel)
        self.ownID = ownID
    }

    /// Forgets every ship (a new connection: the snapshot stream starts over).
    public mutating func reset() {
        tracks.removeAll(keepingCapacity: true)
        snapshots = 0
    }

    /// Looks at the players in `snapshot`, `interval` ticks being one snapshot interval; `late`
    /// says the snapshot came after a client's playout needed it.
    public mutating func observe(_ snapshot: Snapshot, interval: Int, late: Bool = false) -> Findings {
        var findings = Findings()
        snapshots += 1
        guard maxSpeed > 0 else { return findings }
        let fast = 2 * accel
        let fastSquared = fast * fast
        for entry in snapshot.entities {
            guard case .player(let ship) = entry.value, entry.id != ownID else { continue }
            let x = OwnShipPredictor.subunits(ship.x), y = OwnShipPredictor.subunits(ship.y)
            guard var track = tracks[entry.id], track.seenIn == snapshots - 1, track.alive, ship.alive,
                  track.teleport == ship.teleport, Int32(bitPattern: snapshot.tick &- track.tick) > 0 else {
                tracks[entry.id] = Track(
                    x: x, y: y, tick: snapshot.tick, alive: ship.alive, teleport: ship.teleport, seenIn: snapshots, speedSquared: 0,
                    stillSince: nil)
                continue
            }
            findings.steps += 1
            let ticks = Int64(snapshot.tick &- track.tick)
            let dx = Int64(x - track.x), dy = Int64(y - track.y)
            let distanceSquared = dx * dx + dy * dy
            if late && distanceSquared > 0 { findings.freezes += 1 }
            let limit = maxSpeed * ticks * 3 / 2
            if distanceSquared > limit * limit { findings.jumps += 1 }
            if distanceSquared == 0 {
                if track.stillSince == nil && track.speedSquared > fastSquared { track.stillSince = track.tick }
            } else {
                let speedSquared = distanceSquared / (ticks * ticks)
                if let since = track.stillSince, Int(snapshot.tick &- since) > interval, speedSquared > fastSquared {
                    findings.holds += 1
                }
                track.stillSince = nil
                track.speedSquared = speedSquared
            }
            track.x = x
            track.y = y
            track.tick = snapshot.tick
            track.seenIn = snapshots
            tracks[entry.id] = track
        }
        // Ships out of view for a while are dropped (removal keeps the storage).
        if snapshots % 256 == 0 {
            let current = snapshots
            tracks = tracks.filter { current - $0.value.seenIn < 256 }
        }
        return findings
    }
}
