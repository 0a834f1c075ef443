import ArbiterServer
import Arena
import ArbiterProtocol
import ArenaBot
import CoreMetrics

/// One room's Arena match: applies joins, leaves and inputs, steps the world, publishes frames.
/// Runs only on its room's tick thread (`RoomRuntime`).
public final class ArenaRoomGame: RoomGame {
    public typealias Command = ArenaCommand
    public typealias Frame = ArenaFrame

    /// Area of interest: half of a 1920 × 1200 unit view, in subunits.
    public static let viewHalfWidth: Int32 = 960 * 256
    public static let viewHalfHeight: Int32 = 600 * 256

    private var world: World
    private let roomID: Int
    private let capacity: Int
    private let graceTicks: UInt32
    private let tickRate: Int
    private let snapshotInterval: Int
    private let mapInfo: MapInfo
    private let metrics: InputMetrics
    private let players: CoreMetrics.Meter?
    private let inputCapacity: Int
    private let inputTarget: Int

    /// A class, allocated once at the join: a struct this size (token, buffer, address) passed
    /// through the dictionary's `_modify` coroutine (`members[id]?.queue(_:)`, and the tick's walk
    /// over `members.values`) spilled the coroutine's frame to the heap, one malloc per input and
    /// per player per tick (callgrind, `input-read-1000-players`).
    private final class Member {
        var token: ResumeToken
        var inputs: InputBuffer
        /// The client's address (without port), for the per-address bound on held seats.
        let address: String
        /// False while the seat is held for a resume (`held`).
        var connected = true

        init(token: ResumeToken, inputs: InputBuffer, address: String) {
            self.token = token
            self.inputs = inputs
            self.address = address
        }

        /// Queues an input of a connected player; nil while the seat is held.
        func queue(_ input: QueuedInput) -> InputBuffer.PushResult? {
            connected ? inputs.push(input) : nil
        }
    }
    private var members: [UInt32: Member] = [:]
    /// Seats of dropped players waiting for a resume, and the bound on them.
    private var held: HeldSeats
    private var bots: [(id: UInt32, brain: BotBrain, snapshot: Snapshot)] = []
    /// Two seconds of events: enough for any session that missed snapshots while unwritable
    /// (it is dropped after the slow-client timeout anyway).
    private var recentKills: RecentEvents<Kill>
    private var recentHits: RecentEvents<Hit>
    private var lastFrame: ArenaFrame?
    /// The scoreboard's player indices, reused each tick.
    private var scoreRanks: [Int] = []
    private var botView = ArenaFrame.ViewScratch()

    public init(
        roomID: Int, map: ArenaMap, seed: UInt64, tickRate: Int, snapshotInterval: Int, capacity: Int, fillBots: Int,
        resumeGrace: Duration, inputMetrics: InputMetrics, players: CoreMetrics.Meter? = nil
    ) throws {
        world = try World(map: map, seed: seed, tickRate: tickRate, maxPlayers: capacity)
        self.roomID = roomID
        self.capacity = capacity
        held = HeldSeats(capacity: capacity)
        self.tickRate = tickRate
        self.snapshotInterval = snapshotInterval
        graceTicks = UInt32(Double(resumeGrace.components.seconds) * Double(tickRate) + Double(resumeGrace.components.attoseconds) / 1e18 * Double(tickRate))
        recentKills = RecentEvents(window: UInt32(2 * tickRate))
        recentHits = RecentEvents(window: UInt32(2 * tickRate))
        self.metrics = inputMetrics
        inputCapacity = Self.inputCapacity(tickRate: tickRate)
        inputTarget = Swift.max(2, tickRate / 20)
        self.players = players
        let tuning = world.moveTuning
        mapInfo = MapInfo.saturating(
            name: map.name, width: Double(map.width) / 256, height: Double(map.height) / 256,
            tuning: MoveTuning(accel: tuning.accel, friction: tuning.friction, maxSpeed: tuning.maxSpeed, radius: tuning.radius),
            projectileSpeed: UInt16(clamping: world.tuning.projectileSpeed),
            projectileLifetime: UInt16(clamping: world.tuning.projectileLifetimeTicks),
            walls: map.walls.prefix(MapInfo.Limits.walls).map { Rect(x: Double($0.x) / 256, y: Double($0.y) / 256, w: Double($0.w) / 256, h: Double($0.h) / 256) })
        for i in 0..<fillBots {
            guard let id = world.addPlayer(name: "bot-\(i + 1)") else { break }
            let brain = BotBrain(seed: seed &+ UInt64(i) &* 0x9E37_79B9, behavior: .fight)
            bots.append((id.rawValue, brain, Snapshot()))
        }
    }

    public func step(tick: UInt64, commands: [ArenaCommand]) {
        for command in commands { apply(command) }
        // Members are objects: the walk changes their buffers, never the table.
        let appliedFor = world.tick &+ 1
        for (key, member) in members where member.connected {
            let id = EntityID(rawValue: key)
            let before = member.inputs.count
            member.inputs.take { input in
                world.addInput(input.playerInput(appliedFor: appliedFor), for: id)
            }
            let taken = before - member.inputs.count
            if taken == 0 { metrics.held.increment() } else if taken > 1 { metrics.caughtUp.increment(by: taken - 1) }
        }
        if let frame = lastFrame {
            for i in bots.indices where frame.fillSnapshot(&bots[i].snapshot, for: bots[i].id, sinceTick: 0, scratch: &botView) {
                var input = bots[i].brain.decide(snapshot: bots[i].snapshot, ownID: bots[i].id, map: mapInfo)
                input.viewTick = UInt16(truncatingIfNeeded: frame.tick)  // what the bot saw
                world.setInput(QueuedInput(input).playerInput(appliedFor: appliedFor), for: EntityID(rawValue: bots[i].id))
            }
        }
        world.step()
        recordEvents()
        expireDisconnected()
    }

    public func publish(tick: UInt64) -> ArenaFrame {
        var acks: [UInt32: InputAck] = [:]
        acks.reserveCapacity(members.count)
        for (id, member) in members { acks[id] = InputAck(seq: member.inputs.ackSeq, buffered: member.inputs.count) }
        let frame = ArenaFrame(
            tick: world.tick, world: world, acks: acks, kills: recentKills.entries, hits: recentHits.entries, scoreboard: sharedScoreboard(),
            viewHalfWidth: Self.viewHalfWidth, viewHalfHeight: Self.viewHalfHeight, previous: lastFrame)
        lastFrame = frame
        return frame
    }

    public func summary(tick: UInt64) -> RoomSummary {
        RoomSummary(
            id: roomID, map: world.map.name, players: members.count - held.count, held: held.count, bots: bots.count,
            capacity: capacity, tick: UInt64(world.tick))
    }

    // MARK: commands

    /// One command, as `step` applies it (`package`: the instruction-count harness measures an
    /// input's way into its buffer without stepping the world).
    package func apply(_ command: ArenaCommand) {
        switch command {
        case .join(let request):
            request.reply(join(request))
        case .leave(let player):
            guard let member = members[player], member.connected else { return }
            guard graceTicks > 0 else { return remove(player) }
            members[player]?.connected = false
            for evicted in held.hold(player, address: member.address, at: world.tick) { remove(evicted) }
        case .input(let player, let input):
            guard let result = members[player]?.queue(input) else { return }
            if result == .full { metrics.dropped.increment() }
        }
    }

    /// A resume with a held seat's token takes that seat back (the token is then spent: the new
    /// Welcome carries a fresh one). Anything else is a new player, whose name must not be any
    /// other player's or bot's in the room; in a room with every seat taken it displaces the
    /// oldest held seat, else it is refused as full.
    private func join(_ request: JoinRequest) -> JoinResult {
        if let token = request.resumeToken, let id = heldSeat(matching: token) {
            let fresh = ResumeToken.random()
            held.release(id)
            members[id]?.connected = true
            members[id]?.token = fresh
            members[id]?.inputs.restart()
            return .joined(welcome(player: id, token: fresh, resumed: true), mapInfo)
        }
        guard request.admitsNewPlayer else { return .refused(.draining) }
        let seatFree = members.count + bots.count < capacity
        guard seatFree || held.oldest != nil else { return .refused(.roomFull) }
        guard !nameTaken(request.name) else { return .refused(.badName) }
        if !seatFree, let oldest = held.oldest { remove(oldest) }
        guard let id = world.addPlayer(name: request.name) else { return .refused(.roomFull) }
        let token = ResumeToken.random()
        members[id.rawValue] = Member(token: token, inputs: InputBuffer(capacity: inputCapacity, target: inputTarget), address: request.address)
        players?.increment()
        return .joined(welcome(player: id.rawValue, token: token, resumed: false), mapInfo)
    }

    /// The held seat whose token is `token`. Every held seat's token is compared in full (each
    /// in constant time), so the time taken says nothing about which or how much matched.
    private func heldSeat(matching token: [UInt8]) -> UInt32? {
        var found: UInt32?
        for seat in held.seats where members[seat.player]?.token.matches(token) == true { found = seat.player }
        guard let found, world.playerIndex(of: EntityID(rawValue: found)) != nil else { return nil }
        return found
    }

    /// Whether a player or bot of this room, held seats included, has `name` (ignoring case).
    private func nameTaken(_ name: String) -> Bool {
        let key = NamePolicy.comparisonKey(name)
        return world.players.contains { NamePolicy.comparisonKey($0.name) == key }
    }

    private func welcome(player: UInt32, token: ResumeToken, resumed: Bool) -> Welcome {
        Welcome.saturating(
            playerId: player, tickRate: tickRate, snapshotInterval: snapshotInterval, tick: world.tick, room: String(roomID),
            map: world.map.name, resumeToken: token.bytes, resumed: resumed)
    }

    private func remove(_ player: UInt32) {
        guard members.removeValue(forKey: player) != nil else { return }
        held.release(player)
        _ = world.removePlayer(EntityID(rawValue: player))
        players?.decrement()
    }

    private func expireDisconnected() {
        for id in held.expire(now: world.tick, graceTicks: graceTicks) { remove(id) }
    }

    private func recordEvents() {
        let now = world.tick
        for kill in world.kills { recentKills.record(Kill(killer: kill.killer.rawValue, victim: kill.victim.rawValue), at: now) }
        for hit in world.hits {
            recentHits.record(Hit.saturating(attacker: hit.attacker.rawValue, target: hit.target.rawValue, damage: hit.damage), at: now)
        }
        recentKills.expire(now: now)
        recentHits.expire(now: now)
    }

    /// This frame's scoreboard, as the previous frame's very array when nothing changed: every
    /// session compares its baseline's scoreboard with the frame's, and equal storage makes that
    /// a pointer check instead of ten entries (names included) per client per snapshot.
    private func sharedScoreboard() -> [ScoreEntry] {
        let board = scoreboard()
        if let previous = lastFrame?.scoreboard, previous == board { return previous }
        return board
    }

    private func scoreboard() -> [ScoreEntry] {
        let players = world.players
        ScoreRanking.top(count: players.count, limit: Snapshot.Limits.scoreboard, into: &scoreRanks) { ScoreRanking(players[$0]) }
        return scoreRanks.map { i in
            let p = players[i]
            return ScoreEntry.saturating(id: p.id.rawValue, name: p.name, kills: p.kills, deaths: p.deaths, score: p.score)
        }
    }

    /// Inputs a player may have waiting: four seconds of them, more than any outage a session
    /// survives (the slow-client timeout ends it first).
    package static func inputCapacity(tickRate: Int) -> Int { 4 * tickRate }
}
