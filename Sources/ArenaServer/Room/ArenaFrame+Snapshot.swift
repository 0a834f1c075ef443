import Arena
import ArbiterProtocol

extension ArenaFrame {
    /// What one client's view needs between calls, kept by the caller (one per event loop) so
    /// that filling a snapshot allocates nothing.
    public struct ViewScratch: Sendable {
        /// One bit per entity slot, set for the visible ones: reading the set bits in order
        /// yields slot order (what the wire requires) without sorting. Words are cleared as
        /// they are read, so the bitmap is all zeros between calls.
        var visible: [UInt64] = []
        /// For each visible slot, its index in `wireEntities`.
        var flatIndex: [Int32] = []
        /// After a fill: the `wireEntities` index of each of the snapshot's entities, in order.
        public internal(set) var positions: [Int32] = []

        public init() {}

        /// Grows (rarely: only when the world first uses a slot this high) to hold `slot`.
        mutating func makeRoom(for slot: Int) {
            guard slot >= flatIndex.count else { return }
            let count = Swift.max(1024, 1 << (Int.bitWidth - slot.leadingZeroBitCount))
            flatIndex += repeatElement(0, count: count - flatIndex.count)
            visible += repeatElement(0, count: count / 64 - visible.count)
        }
    }

    /// Fills `snapshot` with what `player` sees in this frame: its exact own state, the entities
    /// in its area of interest (sorted by slot, as the wire requires) and the events since
    /// `sinceTick`. Reuses the snapshot's arrays, so a warm session allocates nothing here.
    /// Returns false when the player is not in the world.
    ///
    /// With `copyingEntities` false, `snapshot.entities` is left empty and the view is only in
    /// `scratch.positions`: a session encodes straight from `wireEntities` (`SharedEntitySet`).
    ///
    /// The entities themselves were converted to wire values once for the frame
    /// (`wireEntities`); per client there is only the grid walk, a bitmap of visible slots
    /// and copies.
    public func fillSnapshot(
        _ snapshot: inout Snapshot, for player: UInt32, sinceTick: UInt32, scratch: inout ViewScratch, copyingEntities: Bool = true
    ) -> Bool {
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

        let projectileBase = world.players.count
        let pickupBase = projectileBase + world.projectiles.count
        var firstWord = Int.max, lastWord = -1
        world.forEachEntity(
            minX: me.x - viewHalfWidth, minY: me.y - viewHalfHeight, maxX: me.x + viewHalfWidth, maxY: me.y + viewHalfHeight
        ) { id, kind, i in
            let slot = Int(id.rawValue & 0xFF_FFFF)
            scratch.makeRoom(for: slot)
            switch kind {
            case .player: scratch.flatIndex[slot] = Int32(truncatingIfNeeded: i)
            case .projectile: scratch.flatIndex[slot] = Int32(truncatingIfNeeded: projectileBase + i)
            case .pickup: scratch.flatIndex[slot] = Int32(truncatingIfNeeded: pickupBase + i)
            }
            let word = slot >> 6
            scratch.visible[word] |= 1 << UInt64(slot & 63)
            firstWord = Swift.min(firstWord, word)
            lastWord = Swift.max(lastWord, word)
        }
        snapshot.entities.removeAll(keepingCapacity: true)
        scratch.positions.removeAll(keepingCapacity: true)
        if lastWord >= 0 {
            for word in firstWord...lastWord {
                var bits = scratch.visible[word]
                scratch.visible[word] = 0
                while bits != 0 {
                    let slot = word << 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    if scratch.positions.count < 2048 {
                        let position = scratch.flatIndex[slot]
                        scratch.positions.append(position)
                        if copyingEntities { snapshot.entities.append(wireEntities[Int(position)]) }
                    }
                }
            }
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
}
