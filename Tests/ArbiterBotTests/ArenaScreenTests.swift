import ArbiterBotKit
import ArbiterProtocol
import Testing

@Suite("The terminal view renders a world to text")
struct ArenaScreenTests {
    /// A 300×50 world on a 62×15 terminal: the map area is 60×10 cells of 5×5 units.
    static func world() -> ArenaScreenState {
        var state = ArenaScreenState()
        state.name = "bot-1"
        state.room = "1"
        state.ownID = 1
        state.map = MapInfo(
            name: "test", width: 300, height: 50, tuning: MoveTuning(), projectileSpeed: 512, projectileLifetime: 60,
            walls: [Rect(x: 0, y: 20, w: 10, h: 10), Rect(x: 100, y: 0, w: 2, h: 50)])
        state.snapshot = Snapshot(
            tick: 100,
            own: Own(x: 52.5, y: 27.5, health: 87, alive: true, kills: 2, deaths: 1, score: 200),
            entities: [
                WorldEntityEntry(id: 1, value: .player(Player(name: "bot-1", x: 52.5, y: 27.5, health: 87, alive: true))),
                WorldEntityEntry(id: 2, value: .player(Player(name: "b", x: 297, y: 2, health: 100, alive: true))),
                WorldEntityEntry(id: 3, value: .player(Player(name: "c", x: 12, y: 12, alive: false))),
                // Spawned 5 ticks ago at x 60 flying +x at 2 units per tick: now at x 70.
                WorldEntityEntry(id: 4, value: .projectile(Projectile(owner: 2, x: 60, y: 10, angle: 0, spawnTick: 95))),
                WorldEntityEntry(id: 5, value: .pickup(Pickup(kind: .health, x: 30, y: 45, available: true))),
                WorldEntityEntry(id: 6, value: .pickup(Pickup(kind: .power, x: 200, y: 45, available: false))),
            ])
        state.pingMilliseconds = 12.5
        state.kilobytesInPerSecond = 3.21
        state.kilobytesOutPerSecond = 0.8
        return state
    }

    @Test("a known world gives the expected screen")
    func knownWorld() {
        let lines = ArenaScreen.render(Self.world(), columns: 62, rows: 15)
        let expected = [
            " arbiter-bot bot-1  room 1  map test  tick 100  players 3     ",
            "+------------------------------------------------------------+",
            "|                    #                                      o|",
            "|                    #                                       |",
            "|  x           *     #                                       |",
            "|                    #                                       |",
            "|##                  #                                       |",
            "|##        @         #                                       |",
            "|                    #                                       |",
            "|                    #                                       |",
            "|                    #                                       |",
            "|      +             #                                       |",
            "+------------------------------------------------------------+",
            " HP 87  score 200  K 2 D 1  ping 12.5 ms  in 3.2 kB/s  out 0.8",
            " q quit   @ me  o player  x dead  * shot  + health  P power  #",
        ]
        #expect(lines.count == 15)
        for (index, line) in lines.enumerated() {
            #expect(line == expected[index], "line \(index)")
        }
    }

    @Test("every line fills the terminal exactly, at any size")
    func sizes() {
        for (columns, rows) in [(20, 8), (80, 24), (200, 60), (33, 9)] {
            let lines = ArenaScreen.render(Self.world(), columns: columns, rows: rows)
            #expect(lines.count == rows)
            #expect(lines.allSatisfy { $0.count == columns })
        }
        #expect(ArenaScreen.render(Self.world(), columns: 10, rows: 3) == ["terminal t", "          ", "          "])
    }

    @Test("dead: shows the respawn countdown; no map yet: shows the status")
    func states() {
        var state = Self.world()
        state.snapshot?.own.alive = false
        state.snapshot?.own.respawnTicks = 90
        let lines = ArenaScreen.render(state, columns: 62, rows: 15)
        #expect(lines[13].hasPrefix(" dead, respawn in 1.5 s  score 200"))
        #expect(lines[7].contains("x"))
        var empty = ArenaScreenState()
        empty.status = "connecting"
        let waiting = ArenaScreen.render(empty, columns: 40, rows: 10)
        #expect(waiting[2 + 2].contains("connecting"))
    }
}
