import ArbiterProtocol
import Foundation

/// The golden vectors, defined once here and rendered into Protocol/vectors/. Each case pins the
/// exact bytes of one value; `input`, when given, is the unquantized value that encodes to them.
struct VectorCase {
    var path: String
    var render: () throws -> Data
}

struct VectorFile<M: Codable>: Codable {
    var schema: String
    var message: String
    var description: String
    var hex: String
    var input: M?
    var baseline: M?
    var value: M
}

enum VectorFailure: Error, CustomStringConvertible {
    case mismatch(String)
    var description: String { if case .mismatch(let s) = self { s } else { "" } }
}

func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func unhex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return out
}

let vectorEncoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return e
}()

func vector<M: VectorMessage>(
    _ schema: String, _ name: String, _ description: String, _ value: M, baseline: M? = nil, input: M? = nil
) -> VectorCase {
    VectorCase(path: "\(schema)/\(name).json") {
        let bytes = try M.encodeBytes(input ?? value, baseline: baseline)
        let decoded = try M.decodeBytes(bytes, baseline: baseline)
        guard decoded == value else { throw VectorFailure.mismatch("\(name): decodes to \(decoded), expected \(value)") }
        let file = VectorFile(schema: schema, message: "\(M.self)", description: description, hex: hex(bytes), input: input, baseline: baseline, value: value)
        return try vectorEncoder.encode(file) + Data("\n".utf8)
    }
}

let twoPi = Double.pi * 2

let sampleOwn = Own(x: 100.5, y: 200.25, vx: 1.5, vy: -0.75, health: 100, alive: true, respawnTicks: 0, cooldownTicks: 3, powerTicks: 0, kills: 2, deaths: 1, score: 20)
let samplePlayer = Player(name: "Ada", x: 640, y: 480.5, aim: Quantize.angleValue(64, bits: 8), health: 100, alive: true, powered: false)
let sampleProjectile = Projectile(owner: 0x0100_0001, x: 650, y: 480.5, angle: Quantize.angleValue(16384, bits: 16), spawnTick: 1200)
let samplePickup = Pickup(kind: .power, x: 800, y: 600, available: true)
let sampleSnapshot = Snapshot(
    tick: 1200, ackSeq: 77, own: sampleOwn,
    entities: [
        WorldEntityEntry(id: 0x0100_0001, value: .player(samplePlayer)),
        WorldEntityEntry(id: 0x0000_0003, value: .pickup(samplePickup)),
        WorldEntityEntry(id: 0x0200_0007, value: .projectile(sampleProjectile)),
    ],
    kills: [Kill(killer: 0x0100_0001, victim: 0x0100_0002)], hits: [Hit(attacker: 0x0100_0001, target: 0x0100_0002, damage: 25)],
    scoreboard: [ScoreEntry(id: 0x0100_0001, name: "Ada", kills: 3, deaths: 0, score: 30)]
)

func arenaCases() -> [VectorCase] {
    var busy = sampleSnapshot
    busy.tick += 1
    busy.ackSeq += 1
    busy.own.x += 2.5
    busy.own.cooldownTicks = 2
    busy.entities[0].value = .player(Player(name: "Ada", x: 642.5, y: 480.5, aim: samplePlayer.aim, health: 75, alive: true, powered: false))
    busy.entities.remove(at: 2)
    busy.entities.append(WorldEntityEntry(id: 0x0000_0009, value: .projectile(Projectile(owner: 0x0100_0001, x: 644, y: 481, angle: 0, spawnTick: 1201))))
    busy.kills = []
    busy.hits = []
    var idle = sampleSnapshot
    idle.tick += 1
    idle.ackSeq += 1
    return [
        vector("arena", "hello", "Hello with a resume token", Hello(protocolVersion: 1, schemaHash: ArenaProtocol.schemaHash, name: "Ada", resumeToken: Array(0..<16))),
        vector("arena", "hello-no-token", "Hello without a resume token (optional absent), multi-byte name", Hello(protocolVersion: 1, schemaHash: ArenaProtocol.schemaHash, name: "Zoë ☄", resumeToken: nil)),
        vector("arena", "hello-ticket", "Hello with a join ticket (section 7.3; its bytes are opaque to the codec)", Hello(protocolVersion: 1, schemaHash: ArenaProtocol.schemaHash, name: "Ada", resumeToken: nil, ticket: [1] + Array(repeating: 0x42, count: 12) + [3] + Array("Ada".utf8) + Array(0..<32))),
        vector("arena", "welcome", "Welcome", Welcome(playerId: 0x0100_0001, tickRate: 60, snapshotInterval: 1, tick: 123_456, room: "main", map: "arena", resumeToken: Array(repeating: 0xAB, count: 16), resumed: false)),
        vector("arena", "mapinfo", "MapInfo with two walls", MapInfo(name: "arena", width: 1600, height: 1200, tuning: MoveTuning(accel: 96, friction: 24, maxSpeed: 1024, radius: 4096), projectileSpeed: 3072, projectileLifetime: 90, walls: [Rect(x: 0, y: 0, w: 1600, h: 16), Rect(x: 400.5, y: 300.25, w: 64, h: 128)])),
        vector("arena", "input", "Input: moving up-left, aiming at 45 degrees, firing", Input(seq: 42, moveX: -127, moveY: -90, aim: Quantize.angleValue(8192, bits: 16), fire: true, secondary: false)),
        vector("arena", "ping", "Ping", Ping(nonce: 7, clientTime: 1_700_000_000_123)),
        vector("arena", "pong", "Pong", Pong(nonce: 7, clientTime: 1_700_000_000_123, tick: 99)),
        vector("arena", "kick", "Kick: protocol mismatch", Kick(reason: .protocolMismatch, detail: "protocol mismatch: server 3f2a1b0c, client 9c01ffee")),
        vector("arena", "snapshot-full", "A full Snapshot: every entity created", sampleSnapshot),
        vector("arena", "snapshot-idle", "A delta Snapshot where only the tick and the input ack moved (the idle floor)", idle, baseline: sampleSnapshot),
        vector("arena", "snapshot-delta", "A delta Snapshot: own and a player moved, a projectile removed, another created, events cleared", busy, baseline: sampleSnapshot),
    ]
}

let integersMin = Integers(
    u1: 0, u7: 0, u8: 0, u16: 0, u32: 0, u33: 0, u64: 0, i1: -1, i8: .min, i13: -4096, i32: .min, i64: .min,
    small: -5, single: 7, level: -1000, wide: -9_007_199_254_740_991, v32: 0, v64: 0)
let integersMax = Integers(
    u1: 1, u7: 127, u8: .max, u16: .max, u32: .max, u33: 8_589_934_591, u64: .max, i1: 0, i8: .max, i13: 4095, i32: .max, i64: .max,
    small: 5, single: 7, level: 1000, wide: 9_007_199_254_740_991, v32: .max, v64: .max)
let ball = Ball(x: 10, y: 20.5, spin: Quantize.angleValue(5, bits: 6), tag: "b1")
let world = World(
    tick: 500, count: 3, focus: ball,
    things: [WorldThingEntryFactory.ball(id: 0x0100_0000, ball), WorldThingEntryFactory.box(id: 0x0000_0002, Box(size: 3, color: .blue, open: true))],
    note: "hi")

enum WorldThingEntryFactory {
    static func ball(id: UInt32, _ b: Ball) -> ThingEntry { ThingEntry(id: id, value: .ball(b)) }
    static func box(id: UInt32, _ b: Box) -> ThingEntry { ThingEntry(id: id, value: .box(b)) }
}

func conformanceCases() -> [VectorCase] {
    var everything = world
    everything.tick = 400  // wraps: the difference is 2^32 - 100
    everything.count = 1003
    everything.focus = Ball(x: 99.5, y: 0, spin: 0, tag: "zzzz")
    everything.things = [
        WorldThingEntryFactory.ball(id: 0x0100_0000, Ball(x: 11, y: 21, spin: ball.spin, tag: "b1")),
        WorldThingEntryFactory.box(id: 0x0000_0002, Box(size: 8, color: .red, open: false)),
    ]
    everything.note = "all new"
    var created = world
    created.tick += 1
    created.things.append(WorldThingEntryFactory.box(id: 0x0000_0400, Box(size: 1, color: .green, open: false)))
    var removed = world
    removed.tick += 20
    removed.things.remove(at: 0)
    var replaced = world
    replaced.tick += 300
    replaced.things[0] = WorldThingEntryFactory.ball(id: 0x0200_0000, Ball(x: 50, y: 50, spin: 0, tag: "new"))
    var full = world
    full.things = [
        WorldThingEntryFactory.ball(id: 0x0000_0000, ball), WorldThingEntryFactory.ball(id: 0x0000_0001, ball),
        WorldThingEntryFactory.box(id: 0x0000_0010, Box(size: 1, color: .red, open: false)),
        WorldThingEntryFactory.box(id: 0xFFFF_FFFF, Box(size: 8, color: .blue, open: true)),
    ]
    return [
        vector("conformance", "integers-min", "Every integer kind at its minimum", integersMin),
        vector("conformance", "integers-max", "Every integer kind at its maximum", integersMax),
        vector("conformance", "integers-mixed", "Negative and multi-group varuint values",
               Integers(u1: 1, u7: 64, u8: 200, u16: 513, u32: 70000, u33: 4_294_967_296, u64: 1 << 40, i1: -1, i8: -2, i13: -1, i32: -70000, i64: -(1 << 40), small: 0, single: 7, level: -1, wide: -1, v32: 128, v64: 1 << 35)),
        vector("conformance", "numbers-min", "Quantized kinds at their minimum", Numbers(flag: false, unit: 0, coarse: -10, fine: -64, heading: 0, bearing: 0, color: .red)),
        vector("conformance", "numbers-max", "Quantized kinds at their maximum (an angle's largest step is one step short of a turn)",
               Numbers(flag: true, unit: 1, coarse: 10, fine: 63.99609375, heading: Quantize.angleValue(255, bits: 8), bearing: Quantize.angleValue(65535, bits: 16), color: .blue)),
        vector("conformance", "numbers-round-half-away", "Halfway values round away from zero: 0.125 is half a step of 0.25",
               Numbers(flag: false, unit: 0.25, coarse: 0, fine: 0, heading: 0, bearing: 0, color: .green),
               input: Numbers(flag: false, unit: 0.125, coarse: 0, fine: 0, heading: 0, bearing: 0, color: .green)),
        vector("conformance", "numbers-round-below-half", "Just under half a step rounds down",
               Numbers(flag: false, unit: 0, coarse: -10, fine: 1, heading: 0, bearing: 0, color: .red),
               input: Numbers(flag: false, unit: 0.124999, coarse: -10.04, fine: 1.0019, heading: 0, bearing: 0, color: .red)),
        vector("conformance", "numbers-clamp", "Values outside min...max clamp to the ends",
               Numbers(flag: false, unit: 1, coarse: -10, fine: 63.99609375, heading: 0, bearing: 0, color: .red),
               input: Numbers(flag: false, unit: 7, coarse: -1e9, fine: 1000, heading: 0, bearing: 0, color: .red)),
        vector("conformance", "numbers-angle-wrap", "Angles wrap: -π/2 is 3π/2; just under a full turn rounds to 0",
               Numbers(flag: false, unit: 0, coarse: -10, fine: -64, heading: Quantize.angleValue(192, bits: 8), bearing: 0, color: .red),
               input: Numbers(flag: false, unit: 0, coarse: -10, fine: -64, heading: -Double.pi / 2, bearing: twoPi - 1e-9, color: .red)),
        vector("conformance", "containers-empty", "Empty string, bytes and arrays; optionals absent",
               Containers(label: "", blob: [], pairs: [], maybe: nil, maybeLabel: nil, colors: [], nested: nil)),
        vector("conformance", "containers-full", "Strings and arrays at their maximum length; optionals present",
               Containers(label: "12345678", blob: [0, 1, 254, 255], pairs: [Pair(a: 7, b: -16), Pair(a: 0, b: 15), Pair(a: 3, b: 0)], maybe: 255, maybeLabel: "abc", colors: [.blue, .green], nested: [])),
        vector("conformance", "containers-utf8", "Multi-byte UTF-8 at the byte limit (8 bytes: 2 + 3 + 3)",
               Containers(label: "é€€", blob: [], pairs: [], maybe: 0, maybeLabel: "日本", colors: [], nested: [Pair(a: 1, b: -1)])),
        vector("conformance", "world-full", "A delta message sent in full: entities in slot order, ids up to 2^32 - 1", full),
        vector("conformance", "world-no-change", "A delta with no change at all", world, baseline: world),
        vector("conformance", "world-every-field", "A delta where every field changed; the tick difference wraps modulo 2^32", everything, baseline: world),
        vector("conformance", "world-created", "An entity created in a far slot (gap coded in the 8-bit tier)", created, baseline: world),
        vector("conformance", "world-removed", "An entity removed", removed, baseline: world),
        vector("conformance", "world-replaced", "A slot reused by a new generation: a create replaces the old entity", replaced, baseline: world),
    ]
}
