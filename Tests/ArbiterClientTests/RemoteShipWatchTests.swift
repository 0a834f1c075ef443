import ArbiterProtocol
import Testing

@testable import ArbiterClient

/// accel 128, maxSpeed 1536 subunits per tick (6 units): the 60 Hz numbers.
private let map = MapInfo(name: "test", width: 4000, height: 4000, tuning: MoveTuning(accel: 128, friction: 16, maxSpeed: 1536, radius: 4096))

/// Feeds one remote ship (id 7) through snapshots at the given ticks and x positions (units);
/// nil leaves it out of that snapshot, a negative x shows it dead.
private func watch(_ path: [(tick: UInt32, x: Double?)], interval: Int = 1) -> RemoteShipWatch.Findings {
    var watch = RemoteShipWatch()
    watch.setMap(map, ownID: 1)
    var total = RemoteShipWatch.Findings()
    for (tick, x) in path {
        var entities = [WorldEntityEntry(id: 1, value: .player(Player(name: "me", x: 5, y: 5, alive: true)))]
        if let x {
            entities.append(WorldEntityEntry(id: 7, value: .player(Player(name: "them", x: abs(x), y: 100, alive: x >= 0))))
        }
        let found = watch.observe(Snapshot(tick: tick, entities: entities), interval: interval)
        total.holds += found.holds
        total.jumps += found.jumps
    }
    return RemoteShipWatch.Findings(holds: total.holds, jumps: total.jumps)
}

/// Positions of a ship moving at `speed` units per tick from x = 100, one snapshot per tick.
private func moving(ticks: Range<UInt32>, speed: Double, from start: Double = 100) -> [(tick: UInt32, x: Double?)] {
    ticks.map { ($0, start + Double($0 - ticks.lowerBound) * speed) }
}

@Suite("Remote-ship holds and jumps as a client sees them")
struct RemoteShipWatchTests {
    @Test("every step of a living ship seen twice in a row is looked at")
    func steps() {
        var watch = RemoteShipWatch()
        watch.setMap(map, ownID: 1)
        let ship = { (x: Double, alive: Bool) in WorldEntityEntry(id: 7, value: .player(Player(x: x, y: 100, alive: alive))) }
        let seen = [[ship(100, true)], [ship(104, true)], [], [ship(900, true)], [ship(906, true)], [ship(906, false)], [ship(300, true)]]
            .enumerated().map { watch.observe(Snapshot(tick: UInt32($0.offset), entities: $0.element), interval: 1).steps }
        #expect(seen == [0, 1, 0, 0, 1, 0, 0])
    }

    @Test("a ship moving at full speed, with or without skipped snapshots, is neither")
    func steadyMotion() {
        #expect(watch(moving(ticks: 0..<100, speed: 6)) == .init())
        let skipping = moving(ticks: 0..<100, speed: 6).enumerated().filter { $0.offset % 3 != 1 }.map(\.element)
        #expect(watch(skipping) == .init())
    }

    @Test("standing still over more than a snapshot interval between moving at speed is a hold")
    func hold() {
        let path = moving(ticks: 0..<10, speed: 4) + [(10, 136), (11, 136)] + moving(ticks: 12..<20, speed: 4, from: 140)
        #expect(watch(path) == .init(holds: 1, jumps: 0))
        let everyOther: [(tick: UInt32, x: Double?)] = [(0, 100), (2, 108), (4, 116), (6, 124)]
        #expect(watch(everyOther, interval: 2) == .init())
        #expect(watch(everyOther + [(8, 124), (10, 132)], interval: 2) == .init(holds: 1, jumps: 0))
    }

    @Test("stopping against a wall and starting again from rest is no hold")
    func realStop() {
        let path = moving(ticks: 0..<10, speed: 4) + [(10, 136), (11, 136), (12, 136), (13, 136.4), (14, 137.2)]
        #expect(watch(path) == .init())
    }

    @Test("moving more than 1.5 × max speed per tick is a jump, except across death or leaving the view")
    func jumps() {
        #expect(watch(moving(ticks: 0..<5, speed: 6) + [(5, 140)]) == .init(holds: 0, jumps: 1))
        #expect(watch(moving(ticks: 0..<5, speed: 6) + [(5, -124), (6, -124), (7, 900), (8, 906)]) == .init())
        #expect(watch(moving(ticks: 0..<5, speed: 6) + [(5, nil), (6, 900), (7, 906)]) == .init())
        #expect(watch([(0, 100), (4, 130)]) == .init(), "4 ticks at 7.5 units each is within 1.5 × 6 per tick")
    }

    @Test("a late snapshot is a freeze for each ship that moved across it")
    func freezes() {
        var watch = RemoteShipWatch()
        watch.setMap(map, ownID: 1)
        let ships = { (a: Double, b: Double) in
            [7, 8].map { WorldEntityEntry(id: $0, value: .player(Player(x: $0 == 7 ? a : b, y: 100, alive: true))) }
        }
        let frames: [([WorldEntityEntry], Bool)] = [(ships(100, 500), false), (ships(106, 500), true), (ships(112, 506), true), (ships(118, 512), false)]
        let found = frames.enumerated().map { watch.observe(Snapshot(tick: UInt32($0.offset), entities: $0.element.0), interval: 1, late: $0.element.1) }
        #expect(found.map(\.freezes) == [0, 1, 2, 0], "ship 8 stood still at the first late snapshot")
    }

    @Test("a ship placed elsewhere (Player.teleport changed) is no jump")
    func teleport() {
        var watch = RemoteShipWatch()
        watch.setMap(map, ownID: 1)
        let ship = { (x: Double, teleport: UInt8) in [WorldEntityEntry(id: 7, value: .player(Player(x: x, y: 100, alive: true, teleport: teleport)))] }
        let found = [ship(100, 0), ship(106, 0), ship(900, 1), ship(906, 1), ship(1500, 1)]
            .enumerated().map { watch.observe(Snapshot(tick: UInt32($0.offset), entities: $0.element), interval: 1) }
        #expect(found.map(\.jumps) == [0, 0, 0, 0, 1])
    }
}
