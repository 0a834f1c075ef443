extension World {
    /// Moves every projectile in flight to its position at the (already incremented) tick,
    /// testing points at most `projectileStepLength` apart so nothing tunnels through a ship
    /// or a wall. A projectile stops at the first wall or ship it meets, or when it expires.
    /// Ships and walls near the tick's whole path are gathered once per projectile, so the
    /// per-point tests usually run over empty lists.
    ///
    /// Lag compensation (favour the shooter): a projectile fired with `lagTicks` L tests ships
    /// at their positions L ticks ago (`shipTrails`), which is where its shooter saw them, so a
    /// shot that hits on the shooter's screen hits here, for a target moving in a straight
    /// line, up to `Tuning.maxLagTicks`. A ship that was dead L ticks ago, or is dead now,
    /// cannot be hit.
    mutating func moveProjectiles() {
        let substeps = Int64(tuning.projectileSubsteps)
        let reach = Int32(tuning.move.radius) + tuning.projectileRadius
        let (maxSpeed, radius) = (Int32(tuning.move.maxSpeed), Int32(tuning.move.radius))
        let lifetime = tuning.projectileLifetimeTicks
        let (width, height) = (map.width, map.height)
        var scratch = takeScratch()
        defer { scratch.restore(into: &self) }
        scratch.removed.clear()
        var kept = 0
        for i in projectiles.indices {
            var p = projectiles[i]
            let age = Int32(truncatingIfNeeded: tick &- p.spawnTick)
            let baseX = Int64(p.spawnX) + Int64(p.vx) * Int64(age - 1)
            let baseY = Int64(p.spawnY) + Int64(p.vy) * Int64(age - 1)
            let (x0, x1) = (Int32(baseX), Int32(baseX + Int64(p.vx)))
            let (y0, y1) = (Int32(baseY), Int32(baseY + Int64(p.vy)))
            // A ship seen L ticks ago is now at most L steps of max speed and of a push away.
            let near = reach + gridSlack + (maxSpeed + radius) * p.lagTicks
            let seenAt = tick &- UInt32(p.lagTicks)
            scratch.ships.clear()
            shipGrid.collectIndices(
                minX: min(x0, x1) - near, minY: min(y0, y1) - near, maxX: max(x0, x1) + near, maxY: max(y0, y1) + near,
                excluding: p.owner, into: &scratch.ships)
            scratch.walls.clear()
            walls.collect(minX: min(x0, x1), minY: min(y0, y1), maxX: max(x0, x1), maxY: max(y0, y1), into: &scratch.walls)
            var alive = true
            // The spawn point itself is tested on the first move (point-blank shots).
            var k: Int64 = age == 1 ? 0 : 1
            pointLoop: while k <= substeps {
                let px = Int32(baseX + Int64(p.vx) * k / substeps)
                let py = Int32(baseY + Int64(p.vy) * k / substeps)
                k += 1
                p.x = px
                p.y = py
                if px < 0 || py < 0 || px >= width || py >= height {
                    alive = false
                    break
                }
                for w in 0..<scratch.walls.count where scratch.walls[w].contains(x: px, y: py) {
                    alive = false
                    break pointLoop
                }
                for s in 0..<scratch.ships.count {
                    let target = Int(scratch.ships[s])
                    guard players[target].alive else { continue }
                    var (tx, ty) = (players[target].x, players[target].y)
                    if p.lagTicks > 0 {
                        guard let seen = shipTrails.position(player: target, at: seenAt) else { continue }
                        (tx, ty) = seen
                    }
                    if abs(tx - px) < reach && abs(ty - py) < reach {
                        damage(playerAt: target, by: p.owner, amount: p.damage)
                        alive = false
                        break pointLoop
                    }
                }
            }
            if alive && age >= lifetime { alive = false }
            if alive {
                if kept != i { slots.move(p.id, toDenseIndex: kept) }
                projectiles[kept] = p
                kept += 1
            } else {
                scratch.removed.append(p.id)
            }
        }
        projectiles.removeLast(projectiles.count - kept)
        for r in 0..<scratch.removed.count { slots.release(scratch.removed[r]) }
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
            let lag = min(Int32(input.lagTicks), tuning.maxLagTicks)
            guard players[i].alive, players[i].hasInput, players[i].cooldownTicks == 0, input.fire || input.secondary else { continue }
            let damage = tuning.damage * (players[i].powered ? tuning.poweredDamageMultiplier : 1)
            if input.secondary {
                players[i].cooldownTicks = tuning.spreadCooldownTicks
                launch(from: i, angle: input.aim &- tuning.spreadAngle, damage: damage, lag: lag)
                launch(from: i, angle: input.aim, damage: damage, lag: lag)
                launch(from: i, angle: input.aim &+ tuning.spreadAngle, damage: damage, lag: lag)
            } else {
                players[i].cooldownTicks = tuning.fireCooldownTicks
                launch(from: i, angle: input.aim, damage: damage, lag: lag)
            }
        }
    }

    private mutating func launch(from i: Int, angle: UInt16, damage: Int32, lag: Int32) {
        guard projectiles.count < maxProjectiles else { return }
        let cos = Int64(FixedMath.cosQ14(angle)), sin = Int64(FixedMath.sinQ14(angle))
        // Start just outside the shooter's box (its corner is radius·√2 away; 1.5 covers it).
        let offset = Int64(tuning.move.radius) * 3 / 2 + Int64(tuning.projectileRadius)
        let x = players[i].x + Int32(cos * offset / 16384)
        let y = players[i].y + Int32(sin * offset / 16384)
        guard !walls.blocks(x: x, y: y),
              let id = slots.allocate(kind: .projectile, denseIndex: projectiles.count)
        else { return }
        let velocity = Self.projectileVelocity(angle: angle, speed: tuning.projectileSpeed)
        projectiles.append(Projectile(
            id: id, owner: players[i].id, spawnX: x, spawnY: y, angle: angle, spawnTick: tick,
            vx: velocity.vx, vy: velocity.vy, x: x, y: y, damage: damage, lagTicks: lag))
    }

    /// A projectile's constant per-tick velocity, from its angle alone: what lets a client
    /// (Clients/web/src/arena/projectile.js) place it from spawn data.
    public static func projectileVelocity(angle: UInt16, speed: Int32) -> (vx: Int32, vy: Int32) {
        let speed = Int64(speed)
        return (Int32(Int64(FixedMath.cosQ14(angle)) * speed / 16384), Int32(Int64(FixedMath.sinQ14(angle)) * speed / 16384))
    }
}
