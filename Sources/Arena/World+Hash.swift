extension World {
    /// A 64-bit digest of the complete state (FNV-1a over 64-bit words, in a fixed order):
    /// tick, random state, slot table, every entity field and every input that will matter.
    /// Equal hashes at every tick is how replays and determinism tests compare runs.
    public var stateHash: UInt64 {
        var h = StateHasher()
        h.combine(tick)
        h.combine(rng.state)
        slots.hash(into: &h)
        h.combine(players.count)
        // Through a buffer pointer: reading fields in place, without copying each Player
        // (and retaining its name), keeps per-tick hashing cheap even in debug builds.
        players.withUnsafeBufferPointer { players in
            for i in 0..<players.count {
                h.combine(players[i].id.rawValue)
                h.combine(players[i].nameHash)
                h.combine(players[i].x)
                h.combine(players[i].y)
                h.combine(players[i].vx)
                h.combine(players[i].vy)
                h.combine(players[i].aim)
                h.combine(players[i].health)
                h.combine(players[i].alive)
                h.combine(players[i].respawnTicks)
                h.combine(players[i].cooldownTicks)
                h.combine(players[i].powerTicks)
                h.combine(players[i].kills)
                h.combine(players[i].deaths)
                h.combine(players[i].score)
                combine(players[i].lastInput, into: &h)
                h.combine(players[i].heldTicks)
                h.combine(players[i].teleports)
            }
        }
        h.combine(projectiles.count)
        for i in projectiles.indices {
            let p = projectiles[i]
            h.combine(p.id.rawValue)
            h.combine(p.owner.rawValue)
            h.combine(p.spawnX)
            h.combine(p.spawnY)
            h.combine(p.angle)
            h.combine(p.spawnTick)
            h.combine(p.vx)
            h.combine(p.vy)
            h.combine(p.x)
            h.combine(p.y)
            h.combine(p.damage)
            h.combine(p.lagTicks)
        }
        // The trails decide lagging shots; equal histories give equal trails, but a restored or
        // hand-built world could differ here alone.
        for word in shipTrails.words { h.combine(word) }
        h.combine(pendingInputs.count)
        for entry in pendingInputs {
            h.combine(entry.player)
            combine(entry.input, into: &h)
        }
        h.combine(pickups.count)
        for p in pickups {
            h.combine(p.id.rawValue)
            h.combine(p.kind.rawValue)
            h.combine(p.x)
            h.combine(p.y)
            h.combine(p.respawnTicks)
        }
        return h.value
    }

    private func combine(_ input: PlayerInput, into h: inout StateHasher) {
        let axes = UInt64(UInt8(bitPattern: input.moveX)) | UInt64(UInt8(bitPattern: input.moveY)) << 8
        let buttons: UInt64 = (input.fire ? 1 << 32 : 0) | (input.secondary ? 1 << 33 : 0)
        h.combine(axes | UInt64(input.aim) << 16 | buttons | UInt64(input.lagTicks) << 34)
    }
}
