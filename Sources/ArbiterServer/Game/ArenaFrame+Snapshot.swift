import Arena
import ArbiterProtocol

extension ArenaFrame {
    /// Fills `snapshot` with what `player` sees in this frame: its exact own state, the entities
    /// in its area of interest (sorted by slot, as the wire requires) and the events since
    /// `sinceTick`. Reuses the snapshot's arrays, so a warm session allocates nothing here.
    /// Returns false when the player is not in the world.
    public func fillSnapshot(_ snapshot: inout Snapshot, for player: UInt32, sinceTick: UInt32) -> Bool {
        guard let index = world.playerIndex(of: EntityID(rawValue: player)) else { return false }
        let me = world.players[index]
        snapshot.tick = tick
        snapshot.ackSeq = acks[player] ?? 0
        snapshot.own = Own(
            x: Self.units(me.x), y: Self.units(me.y),
            vx: Self.units(Swift.max(-16383, Swift.min(16383, me.vx))), vy: Self.units(Swift.max(-16383, Swift.min(16383, me.vy))),
            health: Int(Swift.max(0, Swift.min(200, me.health))), alive: me.alive,
            respawnTicks: Int(Swift.max(0, Swift.min(4095, me.respawnTicks))),
            cooldownTicks: Int(Swift.max(0, Swift.min(255, me.cooldownTicks))),
            powerTicks: Int(Swift.max(0, Swift.min(4095, me.powerTicks))),
            kills: me.kills, deaths: me.deaths, score: me.score)
        snapshot.entities.removeAll(keepingCapacity: true)
        let world = self.world
        world.forEachEntity(
            minX: me.x - viewHalfWidth, minY: me.y - viewHalfHeight, maxX: me.x + viewHalfWidth, maxY: me.y + viewHalfHeight
        ) { id, kind, i in
            guard snapshot.entities.count < 2048 else { return }
            switch kind {
            case .player:
                let p = world.players[i]
                snapshot.entities.append(WorldEntityEntry(id: id.rawValue, value: .player(Player(
                    name: p.name, x: Self.units(p.x), y: Self.units(p.y),
                    aim: Quantize.angleValue(UInt64((UInt32(p.aim) &+ 128) >> 8 & 0xFF), bits: 8),
                    health: Int(Swift.max(0, Swift.min(200, p.health))), alive: p.alive, powered: p.powered))))
            case .projectile:
                let p = world.projectiles[i]
                snapshot.entities.append(WorldEntityEntry(id: id.rawValue, value: .projectile(Projectile(
                    owner: p.owner.rawValue, x: Self.units(p.spawnX), y: Self.units(p.spawnY),
                    angle: Quantize.angleValue(UInt64(p.angle), bits: 16), spawnTick: p.spawnTick))))
            case .pickup:
                let p = world.pickups[i]
                snapshot.entities.append(WorldEntityEntry(id: id.rawValue, value: .pickup(Pickup(
                    kind: p.kind == .health ? .health : .power, x: Self.units(p.x), y: Self.units(p.y), available: p.available))))
            }
        }
        Self.sortBySlot(&snapshot.entities)
        snapshot.kills.removeAll(keepingCapacity: true)
        for entry in kills where entry.tick > sinceTick && snapshot.kills.count < 16 { snapshot.kills.append(entry.event) }
        snapshot.hits.removeAll(keepingCapacity: true)
        for entry in hits where entry.tick > sinceTick && (entry.event.attacker == player || entry.event.target == player) && snapshot.hits.count < 32 {
            snapshot.hits.append(entry.event)
        }
        if snapshot.scoreboard != scoreboard { snapshot.scoreboard = scoreboard }
        return true
    }

    /// Subunits (1/256 world unit) to world units: exact in a Double.
    @inline(__always) static func units(_ v: Int32) -> Double { Double(v) / 256 }

    /// Heapsort by slot: in place and allocation-free, unlike the standard library's sort.
    static func sortBySlot(_ a: inout [WorldEntityEntry]) {
        let n = a.count
        guard n > 1 else { return }
        a.withUnsafeMutableBufferPointer { buf in
            func siftDown(_ start: Int, _ end: Int) {
                var root = start
                while true {
                    var child = 2 * root + 1
                    if child >= end { return }
                    if child + 1 < end && buf[child].slot < buf[child + 1].slot { child += 1 }
                    if buf[root].slot >= buf[child].slot { return }
                    buf.swapAt(root, child)
                    root = child
                }
            }
            var start = n / 2 - 1
            while start >= 0 { siftDown(start, n); start -= 1 }
            var end = n - 1
            while end > 0 { buf.swapAt(0, end); siftDown(0, end); end -= 1 }
        }
    }
}
