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

    private struct Member {
        var token: [UInt8]
        var inputs: InputBuffer
        /// Tick the connection dropped; nil while connected.
        var leftAt: UInt32?
    }
    private var members: [UInt32: Member] = [:]
    private var bots: [(id: UInt32, brain: BotBrain, snapshot: Snapshot)] = []
    /// Two seconds of events: enough for any session that missed snapshots while unwritable
    /// (it is dropped after the slow-client timeout anyway).
    private var recentKills: RecentEvents<Kill>
    private var recentHits: RecentEvents<Hit>
    private var lastFrame: ArenaFrame?
    private var botView = ArenaFrame.ViewScratch()
    private var tokenSource = SystemRandomNumberGenerator()

    public init(
        roomID: Int, map: ArenaMap, seed: UInt64, tickRate: Int, snapshotInterval: Int, capacity: Int, fillBots: Int,
        resumeGrace: Duration, inputMetrics: InputMetrics, players: CoreMetrics.Meter? = nil
    ) throws {
        world = try World(map: map, seed: seed, tickRate: tickRate, maxPlayers: capacity)
        self.roomID = roomID
        self.capacity = capacity
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
        // In place through the values view, walking indices by hand: `members.indices` holds a
        // reference to the table, so writing through it copied the whole table every tick.
        let appliedFor = world.tick &+ 1
        var index = members.startIndex
        while index != members.endIndex {
            defer { members.formIndex(after: &index) }
            guard members.values[index].leftAt == nil else { continue }
            let id = EntityID(rawValue: members.keys[index])
            let before = members.values[index].inputs.count
            members.values[index].inputs.take { input in
                world.addInput(Self.playerInput(input, appliedFor: appliedFor), for: id)
            }
            let taken = before - members.values[index].inputs.count
            if taken == 0 { metrics.held.increment() } else if taken > 1 { metrics.caughtUp.increment(by: taken - 1) }
        }
        if let frame = lastFrame {
            for i in bots.indices where frame.fillSnapshot(&bots[i].snapshot, for: bots[i].id, sinceTick: 0, scratch: &botView) {
                var input = bots[i].brain.decide(snapshot: bots[i].snapshot, ownID: bots[i].id, map: mapInfo)
                input.viewTick = UInt16(truncatingIfNeeded: frame.tick)  // what the bot saw
                world.setInput(Self.playerInput(input, appliedFor: appliedFor), for: EntityID(rawValue: bots[i].id))
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
            tick: world.tick, world: world, acks: acks, kills: recentKills.entries, hits: recentHits.entries, scoreboard: scoreboard(),
            viewHalfWidth: Self.viewHalfWidth, viewHalfHeight: Self.viewHalfHeight, previous: lastFrame)
        lastFrame = frame
        return frame
    }

    public func summary(tick: UInt64) -> RoomSummary {
        RoomSummary(id: roomID, map: world.map.name, players: members.count, bots: bots.count, capacity: capacity, tick: UInt64(world.tick))
    }

    // MARK: commands

    private func apply(_ command: ArenaCommand) {
        switch command {
        case .join(let request):
            request.reply(join(request))
        case .leave(let player):
            members[player]?.leftAt = world.tick
            if graceTicks == 0 { remove(player) }
        case .input(let player, let input):
            guard members[player]?.leftAt == nil, let result = members[player]?.inputs.push(input) else { return }
            if result == .full { metrics.dropped.increment() }
        }
    }

    private func join(_ request: JoinRequest) -> JoinResult {
        if let token = request.resumeToken,
           let (id, member) = members.first(where: { $0.value.token == token && $0.value.leftAt != nil }),
           world.playerIndex(of: EntityID(rawValue: id)) != nil {
            members[id]?.leftAt = nil
            members[id]?.inputs.restart()
            return .joined(welcome(player: id, token: member.token, resumed: true), mapInfo)
        }
        guard request.admitsNewPlayer else { return .refused(.draining) }
        guard members.count + bots.count < capacity, let id = world.addPlayer(name: request.name) else {
            return .refused(.roomFull)
        }
        let token = (0..<Welcome.Limits.resumeToken).map { _ in UInt8.random(in: 0...UInt8.max, using: &tokenSource) }
        members[id.rawValue] = Member(token: token, inputs: InputBuffer(capacity: inputCapacity, target: inputTarget))
        players?.increment()
        return .joined(welcome(player: id.rawValue, token: token, resumed: false), mapInfo)
    }

    private func welcome(player: UInt32, token: [UInt8], resumed: Bool) -> Welcome {
        Welcome.saturating(
            playerId: player, tickRate: tickRate, snapshotInterval: snapshotInterval, tick: world.tick, room: String(roomID),
            map: world.map.name, resumeToken: token, resumed: resumed)
    }

    private func remove(_ player: UInt32) {
        guard members.removeValue(forKey: player) != nil else { return }
        _ = world.removePlayer(EntityID(rawValue: player))
        players?.decrement()
    }

    private func expireDisconnected() {
        for (id, member) in members {
            if let leftAt = member.leftAt, world.tick &- leftAt > graceTicks { remove(id) }
        }
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

    private func scoreboard() -> [ScoreEntry] {
        world.players
            .sorted { ($0.score, $0.kills, -Int64($0.deaths)) > ($1.score, $1.kills, -Int64($1.deaths)) }
            .prefix(Snapshot.Limits.scoreboard)
            .map { ScoreEntry.saturating(id: $0.id.rawValue, name: $0.name, kills: $0.kills, deaths: $0.deaths, score: $0.score) }
    }

    /// The simulation's input for a wire Input applied for tick `appliedFor`; `viewTick` (the
    /// tick the client showed the others at, low 16 bits) becomes the lag the world compensates
    /// shots for (it caps it). A view tick ahead of the server's is no lag.
    static func playerInput(_ input: Input, appliedFor: UInt32) -> PlayerInput {
        // The simulation's angles are UInt16: a turn is 2^16, whatever the wire's resolution.
        let aim = (try? Quantize.angle(input.aim, bits: UInt16.bitWidth)) ?? 0
        let lag = UInt16(truncatingIfNeeded: appliedFor) &- input.viewTick
        return PlayerInput(
            moveX: input.moveX, moveY: input.moveY, aim: UInt16(truncatingIfNeeded: aim), fire: input.fire, secondary: input.secondary,
            lagTicks: lag >= 0x8000 ? 0 : UInt8(clamping: lag))
    }

    /// Inputs a player may have waiting: four seconds of them, more than any outage a session
    /// survives (the slow-client timeout ends it first).
    static func inputCapacity(tickRate: Int) -> Int { 4 * tickRate }
}
