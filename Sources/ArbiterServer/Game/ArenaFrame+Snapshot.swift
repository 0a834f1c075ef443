import Arena
import ArbiterProtocol

extension ArenaFrame {
    /// What one client's view needs between calls, kept by the caller (one per event loop) so
    /// that filling a snapshot allocates nothing.
    public struct ViewScratch: Sendable {
        /// Visible entities as `slot << 32 | index into wireEntities`, sorted to give slot order.
        var keys: [UInt64] = []

        public init() {
            keys.reserveCapacity(256)
        }
    }

    /// Fills `snapshot` with what `player` sees in this frame: its exact own state, the entities
    /// in its area of interest (sorted by slot, as the wire requires) and the events since
    /// `sinceTick`. Reuses the snapshot's arrays, so a warm session allocates nothing here.
    /// Returns false when the player is not in the world.
    ///
    /// The entities themselves were converted to wire values once for the frame
    /// (`wireEntities`); per client there is only the grid walk, a sort of 64-bit keys and
    /// copies.
    public func fillSnapshot(_ snapshot: inout Snapshot, for player: UInt32, sinceTick: UInt32, scratch: inout ViewScratch) -> Bool {
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

        scratch.keys.removeAll(keepingCapacity: true)
        let projectileBase = world.players.count
        let pickupBase = projectileBase + world.projectiles.count
        world.forEachEntity(
            minX: me.x - viewHalfWidth, minY: me.y - viewHalfHeight, maxX: me.x + viewHalfWidth, maxY: me.y + viewHalfHeight
        ) { id, kind, i in
            let flat: Int
            switch kind {
            case .player: flat = i
            case .projectile: flat = projectileBase + i
            case .pickup: flat = pickupBase + i
            }
            scratch.keys.append(UInt64(id.rawValue & 0xFF_FFFF) << 32 | UInt64(flat))
        }
        Self.heapSort(&scratch.keys)
        snapshot.entities.removeAll(keepingCapacity: true)
        for key in scratch.keys.prefix(2048) {
            snapshot.entities.append(wireEntities[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)])
        }

        snapshot.kills.removeAll(keepingCapacity: true)
        for entry in kills where entry.tick > sinceTick && snapshot.kills.count < 16 { snapshot.kills.append(entry.event) }
        snapshot.hits.removeAll(keepingCapacity: true)
        for entry in hits where entry.tick > sinceTick && (entry.event.attacker == player || entry.event.target == player) && snapshot.hits.count < 32 {
            snapshot.hits.append(entry.event)
        }
        if snapshot.scoreboard != scoreboard { snapshot.scoreboard = scoreboard }
        return true
    }

    /// For callers that fill rarely (tools, tests): allocates its own scratch.
    public func fillSnapshot(_ snapshot: inout Snapshot, for player: UInt32, sinceTick: UInt32) -> Bool {
        var scratch = ViewScratch()
        return fillSnapshot(&snapshot, for: player, sinceTick: sinceTick, scratch: &scratch)
    }

    /// Every entity of `world` as its wire value, players then projectiles then pickups (the
    /// world's dense order, which `fillSnapshot`'s keys index). Built once per frame.
    static func wireEntities(of world: World) -> [WorldEntityEntry] {
        var entries: [WorldEntityEntry] = []
        entries.reserveCapacity(world.players.count + world.projectiles.count + world.pickups.count)
        for p in world.players {
            entries.append(WorldEntityEntry(id: p.id.rawValue, value: .player(Player(
                name: p.name, x: units(p.x), y: units(p.y),
                aim: Quantize.angleValue(UInt64((UInt32(p.aim) &+ 128) >> 8 & 0xFF), bits: 8),
                health: Int(Swift.max(0, Swift.min(200, p.health))), alive: p.alive, powered: p.powered))))
        }
        for p in world.projectiles {
            entries.append(WorldEntityEntry(id: p.id.rawValue, value: .projectile(Projectile(
                owner: p.owner.rawValue, x: units(p.spawnX), y: units(p.spawnY),
                angle: Quantize.angleValue(UInt64(p.angle), bits: 16), spawnTick: p.spawnTick))))
        }
        for p in world.pickups {
            entries.append(WorldEntityEntry(id: p.id.rawValue, value: .pickup(Pickup(
                kind: p.kind == .health ? .health : .power, x: units(p.x), y: units(p.y), available: p.available))))
        }
        return entries
    }

    /// Subunits (1/256 world unit) to world units: exact in a Double.
    @inline(__always) static func units(_ v: Int32) -> Double { Double(v) / 256 }

    /// In place and allocation-free, unlike the standard library's sort (which may allocate a
    /// merge buffer).
    static func heapSort(_ a: inout [UInt64]) {
        let n = a.count
        guard n > 1 else { return }
        a.withUnsafeMutableBufferPointer { buf in
            func siftDown(_ start: Int, _ end: Int) {
                var root = start
                while true {
                    var child = 2 * root + 1
                    if child >= end { return }
                    if child + 1 < end && buf[child] < buf[child + 1] { child += 1 }
                    if buf[root] >= buf[child] { return }
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
