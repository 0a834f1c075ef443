import ArbiterProtocol
import Foundation

/// Everything the terminal view shows, copied out of one bot's session.
public struct ArenaScreenState: Sendable {
    public var map: MapInfo?
    public var snapshot: Snapshot?
    public var ownID: UInt32 = 0
    public var name = ""
    public var room = ""
    public var tickRate = 60
    /// The bot's own input→ack time.
    public var pingMilliseconds: Double?
    public var kilobytesInPerSecond = 0.0
    public var kilobytesOutPerSecond = 0.0
    /// Shown while there is no snapshot yet (connecting, disconnected).
    public var status = "connecting"

    public init() {}
}

/// The view as text: a pure function of the state and the terminal size, so it can be tested
/// line by line. Every line is exactly `columns` characters (ASCII only, so it lines up in any
/// terminal and in tmux).
///
/// Layout: a title line, the map inside a frame (scaled to fill the space left), a HUD line
/// and a key-help line. Legend: `@` this bot, `o` other players, `x` dead ones, `*`
/// projectiles, `+` health, `P` power, `#` walls.
public enum ArenaScreen {
    public static func render(_ state: ArenaScreenState, columns: Int, rows: Int) -> [String] {
        guard columns >= 20, rows >= 8 else {
            return (0..<max(rows, 0)).map { $0 == 0 ? pad("terminal too small", columns) : pad("", columns) }
        }
        var lines: [String] = []
        let snapshot = state.snapshot
        let players = snapshot?.entities.reduce(0) { count, entry in
            if case .player = entry.value { return count + 1 }
            return count
        } ?? 0
        var title = " arbiter-bot \(state.name)"
        if !state.room.isEmpty { title += "  room \(state.room)" }
        if let map = state.map { title += "  map \(map.name)" }
        if let snapshot { title += "  tick \(snapshot.tick)  players \(players)" }
        lines.append(pad(title, columns))

        let width = columns - 2, height = rows - 5
        var grid = [[UInt8]](repeating: [UInt8](repeating: UInt8(ascii: " "), count: width), count: height)
        if let map = state.map, map.width > 0, map.height > 0 {
            let sx = map.width / Double(width), sy = map.height / Double(height)
            func cell(_ x: Double, _ y: Double) -> (Int, Int)? {
                let c = Int((x / sx).rounded(.down)), r = Int((y / sy).rounded(.down))
                guard c >= 0, c < width, r >= 0, r < height else { return nil }
                return (c, r)
            }
            func put(_ x: Double, _ y: Double, _ char: Character) {
                if let (c, r) = cell(x, y) { grid[r][c] = char.asciiValue! }
            }
            for wall in map.walls {
                let c0 = max(0, Int((wall.x / sx).rounded(.down)))
                let c1 = min(width - 1, max(c0, Int(((wall.x + wall.w) / sx).rounded(.up)) - 1))
                let r0 = max(0, Int((wall.y / sy).rounded(.down)))
                let r1 = min(height - 1, max(r0, Int(((wall.y + wall.h) / sy).rounded(.up)) - 1))
                guard c0 <= c1, r0 <= r1 else { continue }
                for r in r0...r1 { for c in c0...c1 { grid[r][c] = UInt8(ascii: "#") } }
            }
            if let snapshot {
                let speed = Double(map.projectileSpeed) / 256
                for entry in snapshot.entities {
                    switch entry.value {
                    case .pickup(let p) where p.available: put(p.x, p.y, p.kind == .health ? "+" : "P")
                    case .projectile(let p):
                        let age = Double(Int32(bitPattern: snapshot.tick &- p.spawnTick))
                        put(p.x + cos(p.angle) * speed * age, p.y + sin(p.angle) * speed * age, "*")
                    default: break
                    }
                }
                for entry in snapshot.entities where entry.id != state.ownID {
                    if case .player(let p) = entry.value { put(p.x, p.y, p.alive ? "o" : "x") }
                }
                put(snapshot.own.x, snapshot.own.y, snapshot.own.alive ? "@" : "x")
            }
        } else {
            let message = Array(state.status.utf8.prefix(width))
            let start = (width - message.count) / 2
            for (i, byte) in message.enumerated() { grid[height / 2][start + i] = byte }
        }
        let border = "+" + String(repeating: "-", count: width) + "+"
        lines.append(border)
        for row in grid { lines.append("|" + String(decoding: row, as: UTF8.self) + "|") }
        lines.append(border)

        var hud = " "
        if let own = snapshot?.own {
            hud += own.alive ? "HP \(own.health)" : "dead, respawn in \(seconds(own.respawnTicks, state.tickRate)) s"
            hud += "  score \(own.score)  K \(own.kills) D \(own.deaths)"
            if own.powerTicks > 0 { hud += "  POWER" }
        } else {
            hud += state.status
        }
        hud += "  ping " + (state.pingMilliseconds.map { StatusLine.fixed($0, 1) + " ms" } ?? "-")
        hud += "  in \(StatusLine.fixed(state.kilobytesInPerSecond, 1)) kB/s  out \(StatusLine.fixed(state.kilobytesOutPerSecond, 1)) kB/s"
        lines.append(pad(hud, columns))
        lines.append(pad(" q quit   @ me  o player  x dead  * shot  + health  P power  # wall", columns))
        return lines
    }

    static func seconds(_ ticks: Int, _ rate: Int) -> String {
        StatusLine.fixed(Double(ticks) / Double(max(1, rate)), 1)
    }

    /// Cuts or pads to exactly `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        if count >= width { return String(text.prefix(width)) }
        return text + String(repeating: " ", count: width - count)
    }
}
