extension World {
    /// Brings a player to life at a free spawn point: the first one, starting from a random
    /// index, with no living ship within `spawnClearance`; the random one if none is free.
    /// Occupancy comes from the interest grid (positions as of the last step or join), so the
    /// check costs what is near the spawn, not what is on the map.
    mutating func spawn(playerAt i: Int) {
        let spawns = map.spawns
        let start = rng.next(below: spawns.count)
        var chosen = spawns[start]
        let clearance = tuning.spawnClearance
        var scratch = takeScratch()
        defer { scratch.restore(into: &self) }
        for k in 0..<spawns.count {
            let candidate = spawns[(start + k) % spawns.count]
            scratch.ships.clear()
            interestGrid.collectIndices(
                minX: candidate.x - clearance, minY: candidate.y - clearance,
                maxX: candidate.x + clearance, maxY: candidate.y + clearance, into: &scratch.ships)
            var blocked = false
            for s in 0..<scratch.ships.count where scratch.ships[s] >> 24 == Int32(EntityKind.player.rawValue) {
                let other = Int(scratch.ships[s] & 0x00FF_FFFF)
                if other < players.count, other != i, players[other].alive,
                   abs(players[other].x - candidate.x) < clearance, abs(players[other].y - candidate.y) < clearance {
                    blocked = true
                    break
                }
            }
            if !blocked {
                chosen = candidate
                break
            }
        }
        players[i].x = chosen.x
        players[i].y = chosen.y
        players[i].teleports &+= 1
        players[i].vx = 0
        players[i].vy = 0
        players[i].health = tuning.maxHealth
        players[i].alive = true
        players[i].respawnTicks = 0
        players[i].cooldownTicks = 0
        players[i].powerTicks = 0
    }
}
