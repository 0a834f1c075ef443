import Testing
@testable import Arena

@Suite struct WorldRulesTests {
    @Test func aHitDamagesTheTarget() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 300, y: 200)
        let b = TestWorlds.place(&world, "b", x: 500, y: 200)
        world.setInput(PlayerInput(aim: TestWorlds.right, fire: true), for: a)
        var hits: [HitEvent] = []
        for _ in 0..<60 where hits.isEmpty {
            world.step()
            hits = world.hits
        }
        let damage = world.tuning.damage
        #expect(hits == [HitEvent(attacker: a, target: b, damage: damage)])
        #expect(world.player(b)!.health == world.tuning.maxHealth - damage)
        #expect(world.player(a)!.health == world.tuning.maxHealth)
    }

    @Test func deathThenRespawnAfterTheDelay() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 300, y: 200)
        let b = TestWorlds.place(&world, "b", x: 400, y: 200)
        var killTick: UInt32?
        var killEvents: [KillEvent] = []
        while killTick == nil && world.tick < 2000 {
            world.setInput(PlayerInput(aim: TestWorlds.right, fire: true), for: a)
            world.step()
            if !world.kills.isEmpty {
                killTick = world.tick
                killEvents = world.kills
            }
        }
        let hitsNeeded = (world.tuning.maxHealth + world.tuning.damage - 1) / world.tuning.damage
        #expect(killEvents == [KillEvent(killer: a, victim: b)])
        var victim = world.player(b)!
        #expect(!victim.alive && victim.health == 0 && victim.deaths == 1)
        #expect(victim.respawnTicks == world.tuning.respawnTicks)
        #expect(world.player(a)!.kills == 1 && world.player(a)!.score == world.tuning.killScore)
        // The shots come one cooldown apart, so the kill cannot come before the last needed shot.
        #expect(Int32(killTick!) > (hitsNeeded - 1) * world.tuning.fireCooldownTicks)

        // Dead for exactly respawnTicks steps, then alive at a spawn point with full health.
        for _ in 0..<(world.tuning.respawnTicks - 1) {
            world.step()
            #expect(!world.player(b)!.alive)
        }
        world.step()
        victim = world.player(b)!
        #expect(victim.alive && victim.health == world.tuning.maxHealth)
        #expect(world.map.spawns.contains(.init(x: victim.x, y: victim.y)))
    }

    @Test func wallsBlockShipsAndProjectiles() throws {
        var world = try TestWorlds.field(walls: [(390, 100, 20, 200)])
        let a = TestWorlds.place(&world, "a", x: 300, y: 200)
        let b = TestWorlds.place(&world, "b", x: 500, y: 200)
        let r = Int32(world.moveTuning.radius)
        var fired = 0
        for _ in 0..<300 {
            world.setInput(PlayerInput(moveX: 127, moveY: 0, aim: TestWorlds.right, fire: true), for: a)
            world.step()
            fired += world.projectiles.filter { $0.spawnTick == world.tick }.count
            #expect(world.player(a)!.x + r <= 390 * 256)
            #expect(world.hits.isEmpty)
        }
        #expect(fired > 0)  // shots were fired (and died on the wall), until the ship touched it
        #expect(world.player(a)!.x + r == 390 * 256)
        #expect(world.player(b)!.health == world.tuning.maxHealth)
    }

    @Test func cooldownLimitsTheFireRate() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 100, y: 100)
        var shots = 0
        let ticks: Int32 = 120
        for _ in 0..<ticks {
            world.setInput(PlayerInput(aim: 16384, fire: true), for: a)  // down, at nobody
            world.step()
            shots += world.projectiles.filter { $0.spawnTick == world.tick }.count
            #expect(world.player(a)!.cooldownTicks <= world.tuning.fireCooldownTicks)
        }
        let cooldown = world.tuning.fireCooldownTicks
        #expect(Int32(shots) == (ticks + cooldown - 1) / cooldown)

        // The secondary spread: three projectiles, then the longer cooldown.
        world.setInput(PlayerInput(aim: 16384, fire: false, secondary: true), for: a)
        while world.player(a)!.cooldownTicks > 0 { world.step() }
        world.setInput(PlayerInput(aim: 16384, secondary: true), for: a)
        world.step()
        #expect(world.projectiles.filter { $0.spawnTick == world.tick }.count == 3)
        #expect(world.player(a)!.cooldownTicks == world.tuning.spreadCooldownTicks)
    }

    @Test func projectilesExpire() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 20, y: 20)
        world.setInput(PlayerInput(aim: 8192, fire: true), for: a)  // diagonal into open space
        world.step()
        let id = world.projectiles.first!.id
        world.setInput(PlayerInput(aim: 8192), for: a)
        var lived: Int32 = 0
        while world.projectile(id) != nil {
            world.step()
            lived += 1
        }
        // It either expired or left the map; either way within its lifetime.
        #expect(lived <= world.tuning.projectileLifetimeTicks)
        #expect(world.kind(of: id) == nil)
    }

    @Test func pickupsHealEmpowerAndRespawn() throws {
        var world = try TestWorlds.field(pickups: [(.health, 300, 200), (.power, 600, 200)])
        let a = TestWorlds.place(&world, "a", x: 300, y: 200)
        // At full health the health pickup stays.
        world.step()
        #expect(world.pickups[0].available)
        world.players[0].health = 30
        world.step()
        #expect(world.player(a)!.health == 30 + world.tuning.healthPickupAmount)
        #expect(!world.pickups[0].available)
        #expect(world.pickups[0].respawnTicks == world.tuning.healthPickupRespawnTicks)
        for _ in 0..<world.tuning.healthPickupRespawnTicks {
            #expect(!world.pickups[0].available)
            world.players[0].x = 100 * 256  // away, so nobody retakes it
            world.step()
        }
        #expect(world.pickups[0].available)

        // Power doubles damage.
        let b = TestWorlds.place(&world, "b", x: 800, y: 200)
        world.players[0].x = 600 * 256
        world.step()
        #expect(world.player(a)!.powered)
        #expect(!world.pickups[1].available)
        var dealt: [Int32] = []
        for _ in 0..<120 where dealt.isEmpty {
            world.setInput(PlayerInput(aim: TestWorlds.right, fire: true), for: a)
            world.step()
            dealt = world.hits.filter { $0.target == b }.map(\.damage)
        }
        #expect(dealt == [world.tuning.damage * world.tuning.poweredDamageMultiplier])
    }

    /// No input for a step: the ship holds (no move, no shot), which is what its own client
    /// predicts when the server acknowledges nothing new.
    @Test func aShipWithoutInputHolds() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 100, y: 100)
        let input = PlayerInput(moveX: 127, moveY: 0, aim: 16384, fire: true)
        world.setInput(input, for: a)
        world.step()
        let moved = world.player(a)!
        #expect(moved.vx > 0 && world.projectiles.count == 1 && moved.heldTicks == 0)
        for held in 1...5 {
            world.step()
            let now = world.player(a)!
            #expect((now.x, now.y, now.vx, now.vy) == (moved.x, moved.y, moved.vx, moved.vy))
            #expect(now.heldTicks == UInt32(held) && now.lastInput == input)
        }
        #expect(world.projectiles.count == 1, "a held ship does not fire")
        world.setInput(input, for: a)
        world.step()
        #expect(world.player(a)!.x > moved.x)
    }

    /// A backlog handed in at once moves the ship exactly as the same inputs one per step.
    @Test func caughtUpInputsMoveTheShipAsOnePerStep() throws {
        var steady = try TestWorlds.field()
        let a = TestWorlds.place(&steady, "a", x: 100, y: 100)
        var late = steady
        let inputs = (0..<6).map { PlayerInput(moveX: Int8($0 * 20), moveY: 127 - Int8($0 * 10), aim: 0) }
        for input in inputs {
            steady.setInput(input, for: a)
            steady.step()
        }
        for _ in 0..<3 { late.step() }  // nothing arrived: held
        for input in inputs { late.addInput(input, for: a) }
        late.step()
        let (s, l) = (steady.player(a)!, late.player(a)!)
        #expect((s.x, s.y, s.vx, s.vy) == (l.x, l.y, l.vx, l.vy))
        #expect(l.heldTicks == 3 && s.heldTicks == 0)
    }

    @Test func respawnIsATeleport() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 300, y: 200)
        let b = TestWorlds.place(&world, "b", x: 400, y: 200)
        let before = world.player(b)!.teleports
        while world.player(b)!.alive && world.tick < 2000 {
            world.setInput(PlayerInput(aim: TestWorlds.right, fire: true), for: a)
            world.step()
        }
        #expect(world.player(b)!.teleports == before, "dying places nothing")
        while !world.player(b)!.alive && world.tick < 4000 { world.step() }
        #expect(world.player(b)!.teleports == before &+ 1)
    }

    @Test func shipsDoNotOverlap() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 400, y: 200)
        let b = TestWorlds.place(&world, "b", x: 460, y: 205)
        let size = 2 * Int32(world.moveTuning.radius)
        for _ in 0..<120 {
            world.setInput(PlayerInput(moveX: 127, moveY: 0), for: a)
            world.setInput(PlayerInput(moveX: -127, moveY: 0), for: b)
            world.step()
        }
        let pa = world.player(a)!, pb = world.player(b)!
        #expect(abs(pa.x - pb.x) >= size - 2 * Int32(world.moveTuning.maxSpeed) || abs(pa.y - pb.y) >= size)
        #expect(pa.x < pb.x)
    }

    @Test func idsCarryGenerations() throws {
        var world = try TestWorlds.field()
        let a = world.addPlayer(name: "a")!
        #expect(a != .none && a.generation == 1)
        let removed = world.removePlayer(a)
        let removedAgain = world.removePlayer(a)
        #expect(removed && !removedAgain)
        let b = world.addPlayer(name: "b")!
        #expect(b.slot == a.slot && b.generation == a.generation &+ 1)
        #expect(world.player(a) == nil && world.player(b)?.name == "b")
        let accepted = world.setInput(PlayerInput(), for: a)
        #expect(!accepted)
    }

    @Test func worldRefusesPlayersBeyondCapacity() throws {
        var world = try World(map: try ArenaMap.load(named: "duel"), seed: 1, tickRate: 30, maxPlayers: 3)
        var added = 0
        for n in 0..<5 where world.addPlayer(name: "p\(n)") != nil { added += 1 }
        #expect(added == 3)
    }

    @Test func tuningIsDerivedForEveryRate() {
        for rate in Tuning.supportedTickRates {
            let t = Tuning(tickRate: rate)
            #expect(t.move.friction > 0 && t.move.friction < 256)
            #expect(t.move.maxSpeed > 0 && Int(t.move.maxSpeed) < 64 * 256)
            #expect(t.move.accel > 0)
            #expect(t.projectileSpeed <= t.projectileSubsteps * t.projectileStepLength)
            #expect(t.respawnTicks >= 1 && t.maxLagTicks >= 1 && t.fireCooldownTicks >= 1)
            #expect(Int(t.maxLagTicks) < ShipTrails.length && t.maxLagTicks == FixedMath.ticks(milliseconds: 200, tickRate: rate))
        }
        #expect(Tuning(tickRate: 500).tickRate == 128 && Tuning(tickRate: 1).tickRate == 10)
    }
}
