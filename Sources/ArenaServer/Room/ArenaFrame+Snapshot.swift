import Arena
import ArbiterProtocol

extension ArenaFrame {
    /// What one client's view needs between calls, kept by the caller (one per event loop) so
    /// that filling a snapshot allocates nothing.
    public struct ViewScratch: Sendable {
        /// After a fill: the visible slots, one bit each. Reading the set bits in order yields
        /// slot order (what the wire requires) without sorting; a session keeps a copy as the
        /// slots its client has, and the delta reads both views by slot (`SharedEntitySet`):
        /// where each slot's entity is in `wireEntities` is the frame's, the same for everyone.
        public internal(set) var slots = SlotSet()

        public init() {}
    }

    /// Encodes `snapshot`, just filled from this frame (`fillSnapshot` with `copyingEntities`
    /// false, `view` its scratch), as a delta against `baseline`, the snapshot the client last
    /// got, which was filled from `baselineFrame` with `baselineSlots` in view.
    ///
    /// Both snapshots are `inout` although neither changes: callers keep them in class
    /// properties, and a by-value argument read from one is a copy, a retain and a release of
    /// each of its arrays per client per tick (perf at 1,000 clients: `initializeWithCopy for
    /// Snapshot` under `PlayerSession.send`, 1.3 % of the server's CPU).
    public func encodeDelta(
        _ snapshot: inout Snapshot, view: inout ViewScratch, from baseline: inout Snapshot, of baselineFrame: ArenaFrame,
        baselineSlots: SlotSet, into writer: inout BitWriter
    ) throws(WireError) {
        try snapshot.encodeMessage(
            into: &writer, deltaFrom: baseline, entities: entitySet(slots: view.slots),
            entitiesBaseline: baselineFrame.entitySet(slots: baselineSlots))
    }

    /// Fills `snapshot` with what `player` sees in this frame: its exact own state, the entities
    /// in its area of interest (sorted by slot, as the wire requires) and the events since
    /// `sinceTick`. Reuses the snapshot's arrays, so a warm session allocates nothing here.
    /// Returns false when the player is not in the world.
    ///
    /// With `copyingEntities` false, `snapshot.entities` is left empty and the view is only in
    /// `scratch.slots`: a session encodes straight from `wireEntities` (`SharedEntitySet`).
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
        let ack = acks[player]
        snapshot.ackSeq = ack?.seq ?? 0
        snapshot.inputBuffer = Snapshot.Limits.inputBuffer.clamp(ack?.buffered ?? 0)
        // Counters past their wire range saturate; fixed-point values clamp on the wire itself.
        snapshot.own = .saturating(
            x: Self.units(me.x), y: Self.units(me.y), vx: Self.units(me.vx), vy: Self.units(me.vy),
            health: me.health, alive: me.alive, respawnTicks: me.respawnTicks, cooldownTicks: me.cooldownTicks,
            powerTicks: me.powerTicks, kills: me.kills, deaths: me.deaths, score: me.score,
            teleport: Self.wrapping(me.teleports, to: Own.Limits.teleport), heldTicks: me.heldTicks)

        // The grid walk only marks slots: where each slot's entity is in `wireEntities` is the
        // frame's (`shared.positionBySlot`), the same for every client.
        let positionBySlot = shared.positionBySlot
        scratch.slots.removeAll()
        scratch.slots.inserting(below: positionBySlot.count) { slots in
            world.forEachEntity(
                minX: me.x - viewHalfWidth, minY: me.y - viewHalfHeight, maxX: me.x + viewHalfWidth, maxY: me.y + viewHalfHeight
            ) { id, _, _ in
                slots.insert(Int(id.rawValue & 0xFF_FFFF))
            }
        }
        snapshot.entities.removeAll(keepingCapacity: true)
        // Only a full snapshot, or a view past the wire's limit, needs its slots one by one.
        var kept = 0
        for word in scratch.slots.range {
            var bits = scratch.slots.words[word]
            if !copyingEntities && kept + bits.nonzeroBitCount <= Snapshot.Limits.entities {
                kept += bits.nonzeroBitCount
                continue
            }
            while bits != 0 {
                let slot = word << 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                if kept < Snapshot.Limits.entities {
                    kept += 1
                    if copyingEntities { snapshot.entities.append(wireEntities[Int(positionBySlot[slot])]) }
                } else {
                    scratch.slots.remove(slot)  // past the wire's limit: not in the view
                }
            }
        }

        // The room's recent events are in tick order (`RecentEvents`), so those since
        // `sinceTick` are a suffix, found from the end: usually one tick's worth, where a scan
        // from the front read the whole 2 s window for every client (1.3 % of the server's CPU
        // at 1,000 clients, perf).
        snapshot.kills.removeAll(keepingCapacity: true)
        for entry in kills[Self.firstIndex(after: sinceTick, in: kills)...] where snapshot.kills.count < Snapshot.Limits.kills {
            snapshot.kills.append(entry.event)
        }
        snapshot.hits.removeAll(keepingCapacity: true)
        for entry in hits[Self.firstIndex(after: sinceTick, in: hits)...]
        where (entry.event.attacker == player || entry.event.target == player) && snapshot.hits.count < Snapshot.Limits.hits {
            snapshot.hits.append(entry.event)
        }
        if snapshot.scoreboard != scoreboard { snapshot.scoreboard = scoreboard }
        return true
    }

    /// The index of the first of `events` (in tick order) newer than `tick`.
    @inline(__always)
    static func firstIndex<Event>(after tick: UInt32, in events: [(tick: UInt32, event: Event)]) -> Int {
        var first = events.endIndex
        while first > events.startIndex, events[first - 1].tick > tick { first -= 1 }
        return first
    }

    /// Every entity of `world` as its wire value, players then projectiles then pickups (the
    /// world's dense order, which `fillSnapshot`'s keys index). Built once per frame.
    static func wireEntities(of world: World) -> [WorldEntityEntry] {
        var entries: [WorldEntityEntry] = []
        entries.reserveCapacity(world.players.count + world.projectiles.count + world.pickups.count)
        for p in world.players {
            entries.append(WorldEntityEntry(id: p.id.rawValue, value: .player(.saturating(
                name: p.name, x: units(p.x), y: units(p.y), aim: angle(p.aim, bits: Player.Limits.aimBits),
                health: p.health, alive: p.alive, powered: p.powered, teleport: wrapping(p.teleports, to: Player.Limits.teleport)))))
        }
        for p in world.projectiles {
            entries.append(WorldEntityEntry(id: p.id.rawValue, value: .projectile(Projectile(
                owner: p.owner.rawValue, x: units(p.spawnX), y: units(p.spawnY),
                angle: angle(p.angle, bits: Projectile.Limits.angleBits), spawnTick: p.spawnTick))))
        }
        for p in world.pickups {
            entries.append(WorldEntityEntry(id: p.id.rawValue, value: .pickup(Pickup(
                kind: p.kind == .health ? .health : .power, x: units(p.x), y: units(p.y), available: p.available))))
        }
        return entries
    }

    /// Subunits (1/256 world unit) to world units: exact in a Double.
    @inline(__always) static func units(_ v: Int32) -> Double { Double(v) / 256 }

    /// A counter that wraps on the wire (`uN`, e.g. `teleport: u2`): its low bits, which `range`
    /// (0...2^N − 1) holds.
    @inline(__always) static func wrapping(_ counter: UInt8, to range: ClosedRange<UInt8>) -> UInt8 {
        counter & range.upperBound
    }

    /// The simulation's 16-bit angle (a turn is 65536) as the wire angle of `bits` bits it
    /// rounds to, so equal wire angles compare equal before quantizing.
    @inline(__always) static func angle(_ v: UInt16, bits: Int) -> Double {
        let turnBits = UInt16.bitWidth
        guard bits < turnBits else { return Quantize.angleValue(UInt64(v) << UInt64(bits - turnBits), bits: bits) }
        let shift = UInt32(turnBits - bits)
        let q = (UInt32(v) &+ (1 << (shift - 1))) >> shift & ((1 << UInt32(bits)) - 1)
        return Quantize.angleValue(UInt64(q), bits: bits)
    }
}
