/// Every gameplay number in one place. The designer's values are per second and in world
/// units; `init(tickRate:)` turns them into per-tick integers with integer math only, so two
/// machines derive the same tuning for the same rate.
public struct Tuning: Sendable, Hashable {
    public static let supportedTickRates = 10...128
    /// Half-size of a ship's box (16 units), whatever the tick rate; maps are validated with it.
    public static let shipRadius: Int32 = 16 * 256
    /// Longest distance (8 units) a projectile advances between hit tests; maps' walls must be
    /// at least this thick so no projectile skips one.
    public static let maxProjectileStep: Int32 = 8 * 256

    public let tickRate: Int

    // Movement (subunits, per tick) — the part the client predicts.
    public let move: MoveTuning

    // Players.
    public let maxHealth: Int32
    public let respawnTicks: Int32
    /// How far (subunits) another living ship must be from a spawn point for it to count as free.
    public let spawnClearance: Int32
    /// Lag compensation's cap: a shot is judged against ships at most this far in the past
    /// (200 ms), whatever the shooter's latency.
    public let maxLagTicks: Int32

    // Weapons.
    public let fireCooldownTicks: Int32
    /// The secondary spread's cooldown (a multiple of the primary's).
    public let spreadCooldownTicks: Int32
    /// Angle between the spread's projectiles, binary angle.
    public let spreadAngle: UInt16
    public let projectileSpeed: Int32
    public let projectileLifetimeTicks: Int32
    /// Half-size of a projectile's hit box, subunits.
    public let projectileRadius: Int32
    /// Longest step (subunits) a projectile takes between hit tests; walls are validated to be
    /// at least this thick, so no projectile passes through one.
    public let projectileStepLength: Int32
    public let projectileSubsteps: Int32
    public let damage: Int32
    public let poweredDamageMultiplier: Int32

    // Scoring.
    public let killScore: Int32

    // Pickups.
    public let pickupRadius: Int32
    public let healthPickupAmount: Int32
    public let healthPickupRespawnTicks: Int32
    public let powerPickupRespawnTicks: Int32
    public let powerTicks: Int32

    /// Derives the per-tick tuning. Tick rates outside 10...128 are clamped into that range.
    public init(tickRate requested: Int) {
        let rate = min(max(requested, Self.supportedTickRates.lowerBound), Self.supportedTickRates.upperBound)
        tickRate = rate
        let unit = Int(FixedMath.subunitsPerUnit)
        func ticks(_ ms: Int) -> Int32 { FixedMath.ticks(milliseconds: ms, tickRate: rate) }
        func perTick(_ unitsPerSecond: Int) -> Int { unitsPerSecond * unit / rate }

        // A ship keeps 2 % of its speed after one second without input, whatever the rate.
        let friction = Self.friction(retainedPerSecondQ16: 65536 * 2 / 100, tickRate: rate)
        let maxSpeed = perTick(360)
        // Accelerate a quarter beyond what friction lets through at top speed, so full input
        // reaches the cap: terminal speed would be accel * (256 - f) / f.
        let accel = maxSpeed * friction * 5 / ((256 - friction) * 4)
        move = MoveTuning(
            accel: UInt16(accel), friction: UInt16(friction),
            maxSpeed: UInt16(maxSpeed), radius: UInt16(Self.shipRadius))

        maxHealth = 100
        respawnTicks = ticks(3000)
        spawnClearance = Int32(96 * unit)
        maxLagTicks = min(ticks(200), Int32(ShipTrails.length - 1))

        fireCooldownTicks = ticks(200)
        spreadCooldownTicks = ticks(600)
        spreadAngle = 1365  // 7.5 degrees: 65536 / 48
        projectileSpeed = Int32(perTick(900))
        projectileLifetimeTicks = ticks(1200)
        projectileRadius = Int32(3 * unit)
        projectileStepLength = Self.maxProjectileStep
        projectileSubsteps = (projectileSpeed + projectileStepLength - 1) / projectileStepLength
        damage = 12
        poweredDamageMultiplier = 2

        killScore = 100

        pickupRadius = Int32(14 * unit)
        healthPickupAmount = 40
        healthPickupRespawnTicks = ticks(10_000)
        powerPickupRespawnTicks = ticks(20_000)
        powerTicks = ticks(8000)
    }

    /// The per-tick friction (1/256) whose compound over one second is closest to the target
    /// retention, found by searching 1...255 with Q16 fixed-point powers.
    static func friction(retainedPerSecondQ16 target: Int, tickRate: Int) -> Int {
        var best = 1
        var bestError = Int.max
        for f in 1...255 {
            var retained = 65536
            let keep = 256 - f
            for _ in 0..<tickRate { retained = retained * keep / 256 }
            let error = abs(retained - target)
            if error < bestError {
                best = f
                bestError = error
            }
        }
        return best
    }
}
