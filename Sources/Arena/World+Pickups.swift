extension World {
    /// Each available pickup goes to the first living ship (in grid order) touching it that
    /// can use it: health only to a damaged ship, power to anyone.
    mutating func collectPickups() {
        let reach = Int32(tuning.move.radius) + tuning.pickupRadius
        for p in pickups.indices where pickups[p].available {
            let (px, py, kind) = (pickups[p].x, pickups[p].y, pickups[p].kind)
            var taker: Int?
            shipGrid.forEachCandidate(minX: px - reach, minY: py - reach, maxX: px + reach, maxY: py + reach) { entry in
                guard taker == nil else { return }
                let ship = players[Int(entry.index)]
                guard ship.alive, abs(ship.x - px) < reach, abs(ship.y - py) < reach else { return }
                if kind == .health && ship.health >= tuning.maxHealth { return }
                taker = Int(entry.index)
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
