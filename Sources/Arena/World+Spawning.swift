extension World {
    /// Brings a player to life at a free spawn point: the first one, starting from a random
    /// index, with no living ship within `spawnClearance`; the random one if none is free.
    mutating func spawn(playerAt i: Int) {
        let spawns = map.spawns
        let start = rng.next(below: spawns.count)
        var chosen = spawns[start]
        let clearance = tuning.spawnClearance
        for k in 0..<spawns.count {
            let candidate = spawns[(start + k) % spawns.count]
            let blocked = players.contains { other in
                other.alive && abs(other.x - candidate.x) < clearance && abs(other.y - candidate.y) < clearance
            }
            if !blocked {
                chosen = candidate
                break
            }
        }
        players[i].x = chosen.x
        players[i].y = chosen.y
        players[i].vx = 0
        players[i].vy = 0
        players[i].health = tuning.maxHealth
        players[i].alive = true
        players[i].respawnTicks = 0
        players[i].cooldownTicks = 0
        players[i].powerTicks = 0
    }
}
