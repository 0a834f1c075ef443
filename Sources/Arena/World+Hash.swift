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
        for i in players.indices {
            let p = players[i]
            h.combine(p.id.rawValue)
            h.combine(p.name)
            h.combine(p.x)
            h.combine(p.y)
            h.combine(p.vx)
            h.combine(p.vy)
            h.combine(p.aim)
            h.combine(p.health)
            h.combine(p.alive)
            h.combine(p.respawnTicks)
            h.combine(p.cooldownTicks)
            h.combine(p.powerTicks)
            h.combine(p.kills)
            h.combine(p.deaths)
            h.combine(p.score)
            combine(p.lastInput, into: &h)
            h.combine(p.missedInputs)
            h.combine(p.pendingInput != nil)
            if let pending = p.pendingInput { combine(pending, into: &h) }
        }
        h.combine(projectiles.count)
        for p in projectiles {
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
        h.combine(UInt64(UInt8(bitPattern: input.moveX)) | UInt64(UInt8(bitPattern: input.moveY)) << 8
            | UInt64(input.aim) << 16 | (input.fire ? 1 << 32 : 0) | (input.secondary ? 1 << 33 : 0))
    }
}
