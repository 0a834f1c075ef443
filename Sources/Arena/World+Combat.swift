extension World {
    /// Moves every projectile in flight to its position at the (already incremented) tick,
    /// testing points at most `projectileStepLength` apart so nothing tunnels through a ship
    /// or a wall. A projectile stops at the first wall or ship it meets, or when it expires.
    mutating func moveProjectiles() {
        let substeps = Int64(tuning.projectileSubsteps)
        let reach = Int32(tuning.move.radius) + tuning.projectileRadius
        let lifetime = tuning.projectileLifetimeTicks
        var removed = removedScratch
        removed.removeAll(keepingCapacity: true)
        removedScratch = []
        var kept = 0
        for i in projectiles.indices {
            var p = projectiles[i]
            let age = Int32(truncatingIfNeeded: tick &- p.spawnTick)
            let baseX = Int64(p.spawnX) + Int64(p.vx) * Int64(age - 1)
            let baseY = Int64(p.spawnY) + Int64(p.vy) * Int64(age - 1)
            var alive = true
            // The spawn point itself is tested on the first move (point-blank shots).
            for k in (age == 1 ? 0 : 1)...substeps {
                let px = Int32(baseX + Int64(p.vx) * k / substeps)
                let py = Int32(baseY + Int64(p.vy) * k / substeps)
                p.x = px
                p.y = py
                if walls.blocks(x: px, y: py) {
                    alive = false
                    break
                }
                if let target = firstShip(hitAt: px, py, reach: reach, sparing: p.owner) {
                    damage(playerAt: target, by: p.owner, amount: p.damage)
                    alive = false
                    break
                }
            }
            if alive && age >= lifetime { alive = false }
            if alive {
                if kept != i { slots.move(p.id, toDenseIndex: kept) }
                projectiles[kept] = p
                kept += 1
            } else {
                removed.append(p.id)
            }
        }
        projectiles.removeLast(projectiles.count - kept)
        for id in removed { slots.release(id) }
        removedScratch = removed
    }

    /// The first living ship (in grid order) whose box, grown by the projectile's radius,
    /// contains the point; never the shooter.
    private func firstShip(hitAt x: Int32, _ y: Int32, reach: Int32, sparing owner: EntityID) -> Int? {
        var found: Int?
        shipGrid.forEachCandidate(minX: x - reach, minY: y - reach, maxX: x + reach, maxY: y + reach) { entry in
            guard found == nil, entry.id != owner else { return }
            let i = Int(entry.index)
            let ship = players[i]
            if ship.alive && abs(ship.x - x) < reach && abs(ship.y - y) < reach { found = i }
        }
        return found
    }

    /// Applies damage; a ship brought to zero dies, its killer scores.
    mutating func damage(playerAt target: Int, by attacker: EntityID, amount: Int32) {
        guard players[target].alive, amount > 0 else { return }
        let dealt = min(amount, players[target].health)
        players[target].health -= dealt
        hits.append(HitEvent(attacker: attacker, target: players[target].id, damage: dealt))
        guard players[target].health <= 0 else { return }
        players[target].alive = false
        players[target].vx = 0
        players[target].vy = 0
        players[target].powerTicks = 0
        players[target].respawnTicks = tuning.respawnTicks
        players[target].deaths += 1
        kills.append(KillEvent(killer: attacker, victim: players[target].id))
        if let killer = slots.index(of: attacker, kind: .player), killer != target {
            players[killer].kills += 1
            players[killer].score += tuning.killScore
        }
    }

    /// Ships whose weapon is ready and whose input asks for it fire: primary one projectile,
    /// secondary a spread of three at a longer cooldown. A projectile whose spawn point lies in
    /// a wall is not created (the shot hits the wall at once).
    mutating func fireWeapons() {
        for i in players.indices {
            let input = players[i].lastInput
            guard players[i].alive, players[i].cooldownTicks == 0, input.fire || input.secondary else { continue }
            let damage = tuning.damage * (players[i].powered ? tuning.poweredDamageMultiplier : 1)
            if input.secondary {
                players[i].cooldownTicks = tuning.spreadCooldownTicks
                launch(from: i, angle: input.aim &- tuning.spreadAngle, damage: damage)
                launch(from: i, angle: input.aim, damage: damage)
                launch(from: i, angle: input.aim &+ tuning.spreadAngle, damage: damage)
            } else {
                players[i].cooldownTicks = tuning.fireCooldownTicks
                launch(from: i, angle: input.aim, damage: damage)
            }
        }
    }

    private mutating func launch(from i: Int, angle: UInt16, damage: Int32) {
        guard projectiles.count < maxProjectiles else { return }
        let cos = Int64(FixedMath.cosQ14(angle)), sin = Int64(FixedMath.sinQ14(angle))
        // Start just outside the shooter's box (its corner is radius·√2 away; 1.5 covers it).
        let offset = Int64(tuning.move.radius) * 3 / 2 + Int64(tuning.projectileRadius)
        let x = players[i].x + Int32(cos * offset / 16384)
        let y = players[i].y + Int32(sin * offset / 16384)
        guard !walls.blocks(x: x, y: y),
              let id = slots.allocate(kind: .projectile, denseIndex: projectiles.count)
        else { return }
        let speed = Int64(tuning.projectileSpeed)
        projectiles.append(Projectile(
            id: id, owner: players[i].id, spawnX: x, spawnY: y, angle: angle, spawnTick: tick,
            vx: Int32(cos * speed / 16384), vy: Int32(sin * speed / 16384), x: x, y: y, damage: damage))
    }
}
