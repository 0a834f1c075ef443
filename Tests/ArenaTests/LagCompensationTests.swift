import Testing

@testable import Arena

/// A shot that hits a moving ship on the shooter's screen hits in the world, when the shooter
/// sees the others `lagTicks` in the past (latency plus interpolation delay) and the target
/// moves in a straight line, up to the cap.
@Suite struct LagCompensationTests {
    /// Shooter at the top firing down along x = 600; the target crosses that line at full
    /// speed, moving right along y = 300. For every fire tick in a window and every lag up to the cap:
    /// where the shooter's screen (target drawn `lag` ticks late) shows the projectile's centre
    /// well inside the target's box, the world must score the hit.
    @Test(arguments: [0, 4, 9, 12])
    func aHitOnTheShootersScreenIsAHit(lag: Int) throws {
        var base = try TestWorlds.field()
        let a = TestWorlds.place(&base, "a", x: 600, y: 20)
        let b = TestWorlds.place(&base, "b", x: 350, y: 300)
        let down = PlayerInput(moveX: 127, moveY: 0, aim: 0)  // the target's input: right
        // Let the target reach full speed first, then record where it is every tick.
        for _ in 0..<30 { base.setInput(down, for: b); base.setInput(PlayerInput(aim: Self.aimDown), for: a); base.step() }
        var reference = base
        var targetAt: [UInt32: (x: Int32, y: Int32)] = [:]
        for _ in 0..<120 {
            reference.setInput(down, for: b)
            reference.setInput(PlayerInput(aim: Self.aimDown), for: a)
            reference.step()
            let p = reference.player(b)!
            targetAt[reference.tick] = (p.x, p.y)
        }
        let t = base.tuning
        let half = (Int32(t.move.radius) + t.projectileRadius) / 2  // well inside: no edge cases
        var screenHits = 0
        var uncompensatedMisses = 0
        for fireAfter in 0..<40 {
            var world = base
            for _ in 0..<fireAfter { world.setInput(down, for: b); world.setInput(PlayerInput(aim: Self.aimDown), for: a); world.step() }
            world.setInput(down, for: b)
            world.setInput(PlayerInput(aim: Self.aimDown, fire: true, lagTicks: UInt8(lag)), for: a)
            world.step()
            guard let shot = world.projectiles.first(where: { $0.owner == a }) else { continue }
            // The shooter's screen: the projectile at age k beside the target as of k - lag.
            var onScreen = false
            for k in 1..<80 {
                let px = shot.spawnX + shot.vx * Int32(k), py = shot.spawnY + shot.vy * Int32(k)
                guard let seen = targetAt[shot.spawnTick &+ UInt32(k) &- UInt32(lag)] else { continue }
                if abs(seen.x - px) < half && abs(seen.y - py) < half { onScreen = true }
            }
            var hit = false
            for _ in 0..<80 where !hit {
                world.setInput(down, for: b)
                world.setInput(PlayerInput(aim: Self.aimDown), for: a)
                world.step()
                hit = world.hits.contains { $0.attacker == a && $0.target == b }
            }
            if onScreen {
                screenHits += 1
                #expect(hit, "lag \(lag), fired after \(fireAfter): hit on screen, missed in the world")
            }
            if onScreen && lag > 4 && !hitsWithoutCompensation(base, fireAfter: fireAfter, a: a, b: b, down: down) {
                uncompensatedMisses += 1
            }
        }
        #expect(screenHits > 0, "the window contains screen hits")
        if lag > 4 { #expect(uncompensatedMisses > 0, "without compensation some of these would miss") }
    }

    private func hitsWithoutCompensation(_ base: World, fireAfter: Int, a: EntityID, b: EntityID, down: PlayerInput) -> Bool {
        var world = base
        for _ in 0..<fireAfter { world.setInput(down, for: b); world.setInput(PlayerInput(aim: Self.aimDown), for: a); world.step() }
        world.setInput(down, for: b)
        world.setInput(PlayerInput(aim: Self.aimDown, fire: true), for: a)
        world.step()
        for _ in 0..<80 {
            world.setInput(down, for: b)
            world.setInput(PlayerInput(aim: Self.aimDown), for: a)
            world.step()
            if world.hits.contains(where: { $0.attacker == a && $0.target == b }) { return true }
        }
        return false
    }

    static let aimDown: UInt16 = 16384

    /// The cap: a claimed lag beyond `maxLagTicks` is judged as the cap.
    @Test func lagIsCapped() throws {
        var world = try TestWorlds.field()
        let a = TestWorlds.place(&world, "a", x: 100, y: 200)
        world.setInput(PlayerInput(aim: Self.aimDown, fire: true, lagTicks: 255), for: a)
        world.step()
        #expect(world.projectiles.first?.lagTicks == world.tuning.maxLagTicks)
    }
}
