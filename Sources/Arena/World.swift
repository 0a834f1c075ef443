/// The whole game state of one match, and the rules that advance it.
///
/// `step()` maps the state at tick t (plus the inputs set for it) to the state at t + 1 with
/// integer math only: no clock, no system randomness (`rng` is part of the state), no I/O. Two
/// worlds given the same map, seed, tick rate, joins, leaves and inputs produce the same
/// `stateHash` at every tick; `InputLog` records exactly that much to replay a match.
///
/// It is a value type: copying a world (e.g. to compare runs) copies its state.
public struct World: Sendable {
    public let map: ArenaMap
    public let tuning: Tuning
    public let maxPlayers: Int
    /// Cap on live projectiles, so memory stays bounded whatever the players do.
    public let maxProjectiles: Int

    public internal(set) var tick: UInt32 = 0
    public internal(set) var rng: SeededRandom

    /// Dense entity arrays, in creation order (players by join order).
    public internal(set) var players: [Player] = []
    public internal(set) var projectiles: [Projectile] = []
    public internal(set) var pickups: [Pickup] = []

    /// What happened during the last `step()`, in the order it happened.
    public internal(set) var kills: [KillEvent] = []
    public internal(set) var hits: [HitEvent] = []

    var slots = SlotTable()
    let walls: WallIndex
    /// Living ships, rebuilt during the step for contacts and hits.
    var shipGrid: SpatialGrid
    /// Every entity at its current position, rebuilt after each change, for view queries.
    var interestGrid: SpatialGrid
    /// Where each ship was over the last ticks, in `players`' order, for lag compensation.
    var shipTrails = ShipTrails()
    /// The inputs handed in for the coming step, in arrival order, each with its player's index
    /// in `players`. One array for the world, not one per player: a published frame keeps a
    /// copy of the world, and writing per-player arrays it shares cost an allocation per player
    /// per tick (`ArenaBenchmarks` step-…-holding-published-frame).
    var pendingInputs: [(player: Int32, input: PlayerInput)] = []
    /// Buffers reused every tick (see `World.Scratch`).
    var scratch = Scratch()

    /// The movement constants a client needs to predict its own ship (`MapInfo.tuning`).
    public var moveTuning: MoveTuning { tuning.move }

    /// - Parameters:
    ///   - map: a map that passes `validate()`; it is validated again here.
    ///   - seed: seeds the world's random number generator (spawn choice).
    ///   - tickRate: 10...128 ticks per second; the tuning is derived from it.
    public init(map: ArenaMap, seed: UInt64, tickRate: Int, maxPlayers: Int = 1024, maxProjectiles: Int = 65536)
        throws(ArenaMapError)
    {
        try map.validate()
        self.map = map
        tuning = Tuning(tickRate: tickRate)
        self.maxPlayers = max(0, maxPlayers)
        self.maxProjectiles = max(0, maxProjectiles)
        rng = SeededRandom(seed: seed)
        walls = WallIndex(map: map)
        shipGrid = SpatialGrid(width: map.width, height: map.height)
        interestGrid = SpatialGrid(width: map.width, height: map.height)
        for spot in map.pickups {
            let index = pickups.count
            guard let id = slots.allocate(kind: .pickup, denseIndex: index) else { break }
            pickups.append(Pickup(id: id, kind: spot.kind, x: spot.x, y: spot.y, respawnTicks: 0))
        }
        rebuildInterestGrid()
    }

    // MARK: - Players joining and leaving

    /// Adds a living ship at a free spawn point; nil when the world is full.
    /// Call between steps; a replay must make the same calls at the same ticks.
    public mutating func addPlayer(name: String) -> EntityID? {
        guard players.count < maxPlayers,
              let id = slots.allocate(kind: .player, denseIndex: players.count)
        else { return nil }
        players.append(Player(
            id: id, name: name, nameHash: Self.hashName(name), x: 0, y: 0, vx: 0, vy: 0, aim: 0, health: 0, alive: false,
            respawnTicks: 0, cooldownTicks: 0, powerTicks: 0, kills: 0, deaths: 0, score: 0,
            lastInput: PlayerInput(), heldTicks: 0, teleports: 0))
        shipTrails.appendPlayer()
        spawn(playerAt: players.count - 1)
        rebuildInterestGrid()
        return id
    }

    /// Removes a player; its projectiles keep flying (their kills then credit nobody).
    /// Returns whether the id named a player.
    @discardableResult
    public mutating func removePlayer(_ id: EntityID) -> Bool {
        guard let index = slots.index(of: id, kind: .player) else { return false }
        players.remove(at: index)
        shipTrails.removePlayer(at: index)
        pendingInputs.removeAll { Int($0.player) == index }
        for k in pendingInputs.indices where pendingInputs[k].player > index { pendingInputs[k].player -= 1 }
        slots.release(id)
        for i in index..<players.count { slots.move(players[i].id, toDenseIndex: i) }
        rebuildInterestGrid()
        return true
    }

    /// Sets the one input the player applies on the next `step()`, replacing any handed in
    /// before it. Returns false for an id that is not a player.
    @discardableResult
    public mutating func setInput(_ input: PlayerInput, for id: EntityID) -> Bool {
        guard let index = slots.index(of: id, kind: .player) else { return false }
        pendingInputs.removeAll { Int($0.player) == index }
        pendingInputs.append((Int32(index), input))
        return true
    }

    /// Adds an input after those already handed in for the next `step()`, which applies them
    /// all, in order (a player catching up on a backlog). Returns false for an id that is not
    /// a player.
    @discardableResult
    public mutating func addInput(_ input: PlayerInput, for id: EntityID) -> Bool {
        guard let index = slots.index(of: id, kind: .player) else { return false }
        pendingInputs.append((Int32(index), input))
        return true
    }

    static func hashName(_ name: String) -> UInt64 {
        var h = StateHasher()
        h.combine(name)
        return h.value
    }

    // MARK: - Lookups

    public func kind(of id: EntityID) -> EntityKind? { slots.kind(of: id) }

    public func player(_ id: EntityID) -> Player? {
        slots.index(of: id, kind: .player).map { players[$0] }
    }

    public func projectile(_ id: EntityID) -> Projectile? {
        slots.index(of: id, kind: .projectile).map { projectiles[$0] }
    }

    public func pickup(_ id: EntityID) -> Pickup? {
        slots.index(of: id, kind: .pickup).map { pickups[$0] }
    }

    /// Index into `players` (valid until the next join or leave).
    public func playerIndex(of id: EntityID) -> Int? { slots.index(of: id, kind: .player) }
    public func projectileIndex(of id: EntityID) -> Int? { slots.index(of: id, kind: .projectile) }
    public func pickupIndex(of id: EntityID) -> Int? { slots.index(of: id, kind: .pickup) }
}
