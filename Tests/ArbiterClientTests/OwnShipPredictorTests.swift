import Arena
import ArbiterProtocol
import Testing

@testable import ArbiterClient

/// A map with a wall across the middle, and the 60 Hz movement constants.
private let tuning = Tuning(tickRate: 60).move
private let map = MapInfo(
    name: "test", width: 2000, height: 1000,
    tuning: ArbiterProtocol.MoveTuning(accel: tuning.accel, friction: tuning.friction, maxSpeed: tuning.maxSpeed, radius: tuning.radius),
    walls: [Rect(x: 1000, y: 0, w: 40, h: 600)])
private let walls = [WallRect(x: 1000 * 256, y: 0, w: 40 * 256, h: 600 * 256)]

/// The server's side of one ship: each input it simulates moves the ship one tick.
private struct ServerShip {
    var state = PlayerMovement.State(x: 900 * 256, y: 300 * 256)
    var ackSeq: UInt32 = 0

    mutating func simulate(seq: UInt32, move: (Int, Int)) {
        PlayerMovement.step(&state, moveX: move.0, moveY: move.1, tuning: tuning, mapWidth: 2000 * 256, mapHeight: 1000 * 256, walls: walls)
        ackSeq = seq
    }

    var teleport: UInt8 = 0

    func own(alive: Bool = true) -> Own {
        Own(
            x: Double(state.x) / 256, y: Double(state.y) / 256, vx: Double(state.vx) / 256, vy: Double(state.vy) / 256, health: 100,
            alive: alive, teleport: teleport)
    }
}

/// A predictor that has the map and the server's first snapshot, next to that server.
private struct Rig {
    var predictor = OwnShipPredictor()
    var server = ServerShip()

    init() {
        predictor.setMap(map)
        _ = predictor.reconcile(own: server.own(), ackSeq: 0, tick: 0)
    }

    /// Input `seq` is sent (and predicted), and the server simulates it.
    mutating func play(_ seq: UInt32, _ move: (Int, Int)) {
        predictor.sent(seq: seq, moveX: move.0, moveY: move.1)
        server.simulate(seq: seq, move: move)
    }

    mutating func reconcile(tick: UInt32, alive: Bool = true) -> OwnShipPredictor.Outcome {
        predictor.reconcile(own: server.own(alive: alive), ackSeq: server.ackSeq, tick: tick)
    }
}

/// Moves that run the ship into the wall and along it, then back.
private func move(_ seq: UInt32) -> (Int, Int) {
    switch seq % 120 {
    case 0..<50: (127, 20)
    case 50..<80: (0, -127)
    case 80..<100: (-127, 60)
    default: (90, 90)
    }
}

@Suite("Own-ship prediction and correction counting")
struct OwnShipPredictorTests {
    @Test("a server that simulates one input per tick in order is predicted exactly, whatever the delay")
    func exactWithOneInputPerTick() {
        for delay in [0, 3, 9, 25] {
            var predictor = OwnShipPredictor()
            predictor.setMap(map)
            var server = ServerShip()
            var sent: [(UInt32, (Int, Int))] = []
            #expect(predictor.reconcile(own: server.own(), ackSeq: 0, tick: 0) == .reset)
            for seq in UInt32(1)...600 {
                predictor.sent(seq: seq, moveX: move(seq).0, moveY: move(seq).1)
                sent.append((seq, move(seq)))
                // The server simulates what arrived `delay` ticks ago; its snapshot comes back.
                if sent.count > delay {
                    let (s, m) = sent.removeFirst()
                    server.simulate(seq: s, move: m)
                    #expect(predictor.reconcile(own: server.own(), ackSeq: server.ackSeq, tick: s) == .kept)
                }
            }
            for (s, m) in sent { server.simulate(seq: s, move: m) }
            #expect(predictor.reconcile(own: server.own(), ackSeq: server.ackSeq, tick: 601) == .kept)
            #expect(predictor.predicted == server.state, "delay \(delay)")
            #expect(server.state.x < 1000 * 256 - Int32(tuning.radius) + 1, "the wall stopped the ship")
            #expect(predictor.aliveTicks == 601, "ticks between snapshots while alive")
        }
    }

    @Test("a server that repeats an input on an empty tick or drops one shows up as corrections")
    func repeatsAndDropsAreCorrections() {
        var predictor = OwnShipPredictor()
        predictor.setMap(map)
        var server = ServerShip()
        var corrections = 0
        _ = predictor.reconcile(own: server.own(), ackSeq: 0, tick: 0)
        var tick: UInt32 = 0
        for seq in UInt32(1)...200 {
            let m = seq % 40 < 20 ? (127, 0) : (-127, 0)
            predictor.sent(seq: seq, moveX: m.0, moveY: m.1)
            tick += 1
            if seq % 40 == 19 {
                // The input arrives late: the server repeats the previous one for a tick, then
                // simulates this one as well (the old rule).
                server.state = { var s = server.state; PlayerMovement.step(&s, moveX: 127, moveY: 0, tuning: tuning, mapWidth: 2000 * 256, mapHeight: 1000 * 256, walls: walls); return s }()
            }
            server.simulate(seq: seq, move: m)
            if case .corrected = predictor.reconcile(own: server.own(), ackSeq: server.ackSeq, tick: tick) { corrections += 1 }
        }
        #expect(corrections == 5, "one per repeated tick at full speed")
    }

    @Test("a push by another ship beyond 2 units is a correction, one within 2 units is not")
    func pushes() {
        var rig = Rig()
        rig.play(1, (0, 50))
        rig.server.state.y += 256
        #expect(rig.reconcile(tick: 1) == .kept)
        rig.play(2, (0, 50))
        rig.server.state.x -= 3 * 256
        #expect(rig.reconcile(tick: 2) == .corrected(distance: 3 * 256))
    }

    @Test("death and respawn reset the prediction instead of counting a correction")
    func respawnIsNoCorrection() {
        var rig = Rig()
        rig.play(1, (127, 0))
        #expect(rig.reconcile(tick: 1) == .kept)
        #expect(rig.reconcile(tick: 2, alive: false) == .reset)
        rig.predictor.sent(seq: 2, moveX: 127, moveY: 0)
        rig.server.ackSeq = 2
        rig.server.state = PlayerMovement.State(x: 100 * 256, y: 900 * 256)
        #expect(rig.reconcile(tick: 3) == .reset)
        #expect(rig.predictor.predicted == rig.server.state)
        #expect(rig.predictor.aliveTicks == 1)
    }

    @Test("a teleport (Own.teleport changed) snaps the prediction without counting a correction")
    func teleportIsNoCorrection() {
        var rig = Rig()
        rig.play(1, (127, 0))
        rig.server.state = PlayerMovement.State(x: 100 * 256, y: 900 * 256)
        rig.server.teleport = 1
        #expect(rig.reconcile(tick: 1) == .reset)
        rig.play(2, (127, 0))
        rig.server.state.x += 3 * 256
        #expect(rig.reconcile(tick: 2) == .corrected(distance: 3 * 256), "the same counter: a push")
    }

    @Test("when the ring forgot unacknowledged inputs, the replay is not compared")
    func overflowIsNotCompared() {
        var predictor = OwnShipPredictor(capacity: 8)
        predictor.setMap(map)
        var server = ServerShip()
        _ = predictor.reconcile(own: server.own(), ackSeq: 0, tick: 0)
        for seq in UInt32(1)...12 { predictor.sent(seq: seq, moveX: 127, moveY: 0) }
        #expect(predictor.reconcile(own: server.own(), ackSeq: 0, tick: 1) == .reset, "inputs 1-4 are gone")
        for seq in UInt32(1)...5 { server.simulate(seq: seq, move: (127, 0)) }
        predictor.sent(seq: 13, moveX: 127, moveY: 0)
        #expect(predictor.reconcile(own: server.own(), ackSeq: 5, tick: 2) == .reset, "complete again, but the last prediction was not")
        predictor.sent(seq: 14, moveX: 127, moveY: 0)
        server.simulate(seq: 6, move: (127, 0))
        #expect(predictor.reconcile(own: server.own(), ackSeq: 6, tick: 3) == .kept)
    }

    @Test("a ship within two radii plus both ships' travel is a contact; a farther or dead one is not")
    func contactRange() {
        let rig = Rig()
        let own = rig.server.own()
        // Two radii plus two ships at max speed for 2 ticks, in world units.
        let reach = (2 * Double(tuning.radius) + 2 * Double(tuning.maxSpeed) * 2) / 256
        func snapshot(otherAt dx: Double, alive: Bool = true) -> Snapshot {
            Snapshot(tick: 2, own: own, entities: [
                WorldEntityEntry(id: 1, value: .player(Player(name: "me", x: own.x, y: own.y, alive: true))),
                WorldEntityEntry(id: 2, value: .player(Player(name: "them", x: own.x + dx, y: own.y, alive: alive))),
            ])
        }
        #expect(rig.predictor.touchesAnotherShip(in: snapshot(otherAt: reach - 1), ownID: 1, ticks: 2))
        #expect(!rig.predictor.touchesAnotherShip(in: snapshot(otherAt: reach + 1), ownID: 1, ticks: 2))
        #expect(!rig.predictor.touchesAnotherShip(in: snapshot(otherAt: 1, alive: false), ownID: 1, ticks: 2))
        // Its own entry (at distance 0) never counts: as ship 2, the ship at 0 is the other one.
        #expect(rig.predictor.touchesAnotherShip(in: snapshot(otherAt: reach + 1), ownID: 2, ticks: 2))
        // Farther in time, farther in reach.
        #expect(rig.predictor.touchesAnotherShip(in: snapshot(otherAt: reach + 1), ownID: 1, ticks: 3))
    }

    @Test("observe counts a correction as a contact when another ship was near in this snapshot or the one before")
    func observeCountsContactsAcrossTwoSnapshots() {
        var rig = Rig()
        var counts = NetcodeCounts()
        func snapshot(tick: UInt32, otherAt dx: Double?) -> Snapshot {
            let own = rig.server.own()
            var entities = [WorldEntityEntry(id: 1, value: .player(Player(name: "me", x: own.x, y: own.y, alive: true)))]
            if let dx { entities.append(WorldEntityEntry(id: 2, value: .player(Player(name: "them", x: own.x + dx, y: own.y, alive: true)))) }
            return Snapshot(tick: tick, ackSeq: rig.server.ackSeq, own: own, entities: entities)
        }
        // Another ship alongside, no correction; then it has gone and a push shows: a contact.
        rig.play(1, (0, 50))
        #expect(!rig.predictor.observe(snapshot(tick: 1, otherAt: 20), ownID: 1, interval: 1, tickRate: 60, into: &counts))
        rig.play(2, (0, 50))
        rig.server.state.x -= 3 * 256
        #expect(rig.predictor.observe(snapshot(tick: 2, otherAt: nil), ownID: 1, interval: 1, tickRate: 60, into: &counts))
        #expect(counts.ownCorrections == 1 && counts.ownCorrectionsInContact == 1)
        // Nobody near in either snapshot: a correction in free movement.
        rig.play(3, (0, 50))
        rig.server.state.x -= 3 * 256
        #expect(rig.predictor.observe(snapshot(tick: 3, otherAt: nil), ownID: 1, interval: 1, tickRate: 60, into: &counts))
        #expect(counts.ownCorrections == 2 && counts.ownCorrectionsInContact == 1)
        #expect(abs(counts.aliveSeconds - 3.0 / 60) < 1e-9)
    }
}
