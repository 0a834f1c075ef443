/// A recording of everything that enters a match from outside — the map, seed, tick rate,
/// joins, leaves and the inputs that arrived — from which `replay` rebuilds the match
/// bit for bit.
///
/// Inputs are recorded as they were handed to the world before each step: none (the ship held),
/// one, or several (a backlog caught up), in order. Steps may carry the state hash after the
/// step, which makes a log self-checking.
///
/// ## Format (version 2)
///
/// An input log holds what enters a match from outside, so `InputLog.replay(on:)` rebuilds the
/// match bit for bit. All integers are little-endian.
///
/// Header:
///
/// | bytes | field |
/// |-------|-------|
/// | 4 | magic `ARLG` |
/// | 1 | version (1) |
/// | 1 | tick rate (10...128) |
/// | 8 | seed (u64) |
/// | 8 | map content hash (`ArenaMap.contentHash`, u64) |
/// | 1 + n | map name: length byte, then UTF-8 |
///
/// Then records until the end of the data, each a tag byte and its fields:
///
/// | tag | record | fields |
/// |-----|--------|--------|
/// | 1 | join | name (length byte + UTF-8), u32 id the world returned |
/// | 2 | leave | u32 id |
/// | 3 | input | u32 id, i8 moveX, i8 moveY, u16 aim, u8 flags (bit 0 fire, bit 1 secondary), u8 lagTicks |
/// | 4 | step | — |
/// | 5 | step with hash | u64 `World.stateHash` after the step |
///
/// Records between two steps are applied in order before the next step; a player's inputs there
/// are all applied by that step (`World.addInput`). Replay checks that joins get the recorded
/// ids and that recorded hashes match, and stops at the first difference. Version 1 logs (one
/// input a step, repeated when missing) are refused: the missing-input rule changed.
public struct InputLog: Sendable, Hashable {
    public static let magic: [UInt8] = Array("ARLG".utf8)
    public static let version: UInt8 = 2

    public struct Header: Sendable, Hashable {
        public var mapName: String
        public var mapHash: UInt64
        public var seed: UInt64
        public var tickRate: Int

        public init(map: ArenaMap, seed: UInt64, tickRate: Int) {
            mapName = map.name
            mapHash = map.contentHash
            self.seed = seed
            self.tickRate = tickRate
        }

        init(mapName: String, mapHash: UInt64, seed: UInt64, tickRate: Int) {
            self.mapName = mapName
            self.mapHash = mapHash
            self.seed = seed
            self.tickRate = tickRate
        }
    }

    /// One entry of the log, in the order it happened.
    public enum Record: Sendable, Hashable {
        /// `addPlayer(name:)` was called and returned `id`.
        case join(name: String, id: EntityID)
        case leave(EntityID)
        case input(EntityID, PlayerInput)
        /// `step()` ran; `hash` is `stateHash` after it, when recorded.
        case step(hash: UInt64?)
    }

    enum Tag: UInt8 {
        case join = 1, leave = 2, input = 3, step = 4, stepWithHash = 5
    }

    public let header: Header
    /// The encoded log: header, then records. Append-only while recording.
    public internal(set) var bytes: [UInt8] = []

    /// Starts an empty log for a match about to begin at tick 0.
    public init(header: Header) {
        self.header = header
        bytes.append(contentsOf: Self.magic)
        bytes.append(Self.version)
        bytes.append(UInt8(clamping: header.tickRate))
        append(header.seed)
        append(header.mapHash)
        appendName(header.mapName)
    }

    public mutating func record(_ record: Record) {
        switch record {
        case .join(let name, let id):
            bytes.append(Tag.join.rawValue)
            appendName(name)
            append(id.rawValue)
        case .leave(let id):
            bytes.append(Tag.leave.rawValue)
            append(id.rawValue)
        case .input(let id, let input):
            bytes.append(Tag.input.rawValue)
            append(id.rawValue)
            bytes.append(UInt8(bitPattern: input.moveX))
            bytes.append(UInt8(bitPattern: input.moveY))
            append(input.aim)
            bytes.append((input.fire ? 1 : 0) | (input.secondary ? 2 : 0))
            bytes.append(input.lagTicks)
        case .step(let hash):
            if let hash {
                bytes.append(Tag.stepWithHash.rawValue)
                append(hash)
            } else {
                bytes.append(Tag.step.rawValue)
            }
        }
    }

    private mutating func append(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    private mutating func append(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    private mutating func append(_ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// Names are at most 255 bytes; longer ones are cut at a character boundary.
    private mutating func appendName(_ name: String) {
        var utf8 = Array(name.utf8)
        if utf8.count > 255 {
            utf8 = Array(utf8.prefix(255))
            while !utf8.isEmpty, String(validating: utf8, as: UTF8.self) == nil { utf8.removeLast() }
        }
        bytes.append(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
