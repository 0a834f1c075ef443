extension World {
    /// Each available pickup goes to the first living ship (in grid order) touching it that
    /// can use it: health only to a damaged ship, power to anyone.
    mutating func collectPickups() {
        let reach = Int32(tuning.move.radius) + tuning.pickupRadius
        let slack = gridSlack
        var scratch = takeScratch()
        defer { scratch.restore(into: &self) }
        for p in pickups.indices where pickups[p].available {
            let (px, py, kind) = (pickups[p].x, pickups[p].y, pickups[p].kind)
            scratch.ships.clear()
            shipGrid.collectIndices(
                minX: px - reach - slack, minY: py - reach - slack, maxX: px + reach + slack, maxY: py + reach + slack,
                into: &scratch.ships)
            var taker: Int?
            for s in 0..<scratch.ships.count {
                let i = Int(scratch.ships[s])
                guard players[i].alive, abs(players[i].x - px) < reach, abs(players[i].y - py) < reach else { continue }
                if kind == .health && players[i].health >= tuning.maxHealth { continue }
                taker = i
                break
            }
            guard let i = taker else { continue }
            switch kind {
            case .health:
                players[i].health = min(tuning.maxHealth, players[i].health + tuning.healthPickupAmount)
                pickups[p].respawnTicks = tuning.healthPickupRespawnTicks
            case .power:
                players[i].powerTicks = tuning.powerTicks
                pickups[p].respawnTicks = tuning.powerPickupRespawnTicks
            }
        }
    }
}
