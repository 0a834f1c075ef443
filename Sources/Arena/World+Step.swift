extension World {
    /// Advances the world by one tick. The phases run in a fixed order:
    /// 1. each player's inputs for this tick are taken: none holds the ship (it neither moves
    ///    nor fires this tick: the player's intent has not arrived, and its own client predicts
    ///    exactly that), several are all applied in order (a backlog caught up);
    ///    timers count down and dead players whose delay ran out respawn;
    /// 2. living ships move (`PlayerMovement.step`, once per input), then overlapping ships are
    ///    pushed apart (the ship grid keeps the pre-push positions: queries add `gridSlack`);
    ///    every ship's position is recorded in its trail for lag compensation;
    /// 3. projectiles already in flight move and hit ships (where the shooter saw them, see
    ///    `moveProjectiles`) or stop at walls;
    /// 4. ships whose weapon is ready and that had an input fire (the new projectiles start
    ///    moving next tick);
    /// 5. ships collect available pickups.
    public mutating func step() {
        kills.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
        resolveInputsAndTimers()
        moveShips()
        rebuildShipGrid()
        separateShips()
        tick &+= 1
        recordShipTrails()
        moveProjectiles()
        fireWeapons()
        collectPickups()
        rebuildInterestGrid()
    }

    private mutating func resolveInputsAndTimers() {
        for i in players.indices { players[i].hasInput = false }
        // Each player's newest input applies, with the buttons pressed in any of its inputs (a
        // catch-up tick fires at most once).
        for k in pendingInputs.indices {
            let i = Int(pendingInputs[k].player)
            var applied = pendingInputs[k].input
            if players[i].hasInput {
                applied.fire = applied.fire || players[i].lastInput.fire
                applied.secondary = applied.secondary || players[i].lastInput.secondary
            }
            players[i].lastInput = applied
            players[i].hasInput = true
        }
        for i in players.indices {
            if !players[i].hasInput { players[i].heldTicks &+= 1 }
            players[i].aim = players[i].lastInput.aim
            if players[i].alive {
                if players[i].cooldownTicks > 0 { players[i].cooldownTicks -= 1 }
                if players[i].powerTicks > 0 { players[i].powerTicks -= 1 }
            } else {
                players[i].respawnTicks -= 1
                if players[i].respawnTicks <= 0 { spawn(playerAt: i) }
            }
        }
        for i in pickups.indices where pickups[i].respawnTicks > 0 {
            pickups[i].respawnTicks -= 1
        }
    }

    private mutating func moveShips() {
        let move = tuning.move
        let r = Int32(move.radius)
        // Velocity after this tick is at most maxSpeed per axis, so this box holds the sweep.
        let reach = r + Int32(move.maxSpeed) + 1
        var scratch = takeScratch()
        defer { scratch.restore(into: &self) }
        // One movement step per input, in arrival order (ships move independently here, so only
        // each player's own order matters): a held ship (no input) keeps its place and velocity.
        for k in pendingInputs.indices {
            let (i, input) = (Int(pendingInputs[k].player), pendingInputs[k].input)
            guard players[i].alive else { continue }
            var state = PlayerMovement.State(x: players[i].x, y: players[i].y, vx: players[i].vx, vy: players[i].vy)
            scratch.walls.clear()
            walls.collect(minX: state.x - reach, minY: state.y - reach, maxX: state.x + reach, maxY: state.y + reach, into: &scratch.walls)
            PlayerMovement.step(
                &state, moveX: Int(input.moveX), moveY: Int(input.moveY), tuning: move,
                mapWidth: map.width, mapHeight: map.height, walls: scratch.walls)
            players[i].x = state.x
            players[i].y = state.y
            players[i].vx = state.vx
            players[i].vy = state.vy
        }
        pendingInputs.clear()
    }

    /// Every ship's place at the new tick, for shots fired by lagging players.
    private mutating func recordShipTrails() {
        for i in players.indices {
            shipTrails.record(player: i, tick: tick, x: players[i].x, y: players[i].y, alive: players[i].alive)
        }
    }

    /// Pushes overlapping living ships apart along the axis of least overlap, half each, without
    /// pushing anyone into a wall. Server-only: clients do not predict it.
    private mutating func separateShips() {
        let size = 2 * Int32(tuning.move.radius)
        var scratch = takeScratch()
        defer { scratch.restore(into: &self) }
        for a in players.indices where players[a].alive {
            // The grid holds pre-push positions; a push is under `size`, so this margin holds.
            let (ax, ay) = (players[a].x, players[a].y)
            scratch.ships.clear()
            shipGrid.collectIndices(minX: ax - 2 * size, minY: ay - 2 * size, maxX: ax + 2 * size, maxY: ay + 2 * size, into: &scratch.ships)
            for s in 0..<scratch.ships.count {
                let b = Int(scratch.ships[s])
                guard b > a, players[b].alive else { continue }
                let dx = players[b].x - players[a].x
                let dy = players[b].y - players[a].y
                let overlapX = size - abs(dx)
                let overlapY = size - abs(dy)
                guard overlapX > 0, overlapY > 0 else { continue }
                if overlapX <= overlapY {
                    let sign: Int32 = dx >= 0 ? 1 : -1
                    push(&scratch.walls, player: a, dx: -sign * (overlapX / 2), dy: 0)
                    push(&scratch.walls, player: b, dx: sign * (overlapX - overlapX / 2), dy: 0)
                } else {
                    let sign: Int32 = dy >= 0 ? 1 : -1
                    push(&scratch.walls, player: a, dx: 0, dy: -sign * (overlapY / 2))
                    push(&scratch.walls, player: b, dx: 0, dy: sign * (overlapY - overlapY / 2))
                }
            }
        }
    }

    private mutating func push(_ candidates: inout [WallRect], player i: Int, dx: Int32, dy: Int32) {
        guard dx != 0 || dy != 0 else { return }
        let r = Int32(tuning.move.radius)
        var state = PlayerMovement.State(x: players[i].x, y: players[i].y, vx: dx, vy: dy)
        let reach = r + abs(dx) + abs(dy) + 1
        candidates.removeAll(keepingCapacity: true)
        walls.collect(minX: state.x - reach, minY: state.y - reach, maxX: state.x + reach, maxY: state.y + reach, into: &candidates)
        PlayerMovement.slide(&state, radius: r, mapWidth: map.width, mapHeight: map.height, walls: candidates)
        players[i].x = state.x
        players[i].y = state.y
    }

    mutating func rebuildShipGrid() {
        shipGrid.removeAll()
        for i in players.indices where players[i].alive {
            shipGrid.insert(id: players[i].id, index: Int32(i), x: players[i].x, y: players[i].y)
        }
        shipGrid.finish()
    }
}

extension World {
    /// How far grid queries during a step widen their box, because the ship grid holds the
    /// positions from before separation: one contact pushes a ship at most one radius, so this
    /// covers four contacts. A ship squeezed further in a pile-up may escape a hit or pickup test
    /// for that one tick; deterministic either way, and cheaper than rebuilding the grid.
    var gridSlack: Int32 { 4 * Int32(tuning.move.radius) }
}
