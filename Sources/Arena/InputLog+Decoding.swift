extension InputLog {
    /// Parses a log; every malformed input becomes an `InputLogError`, never a trap.
    public init(decoding data: [UInt8]) throws(InputLogError) {
        var reader = Reader(bytes: data)
        guard Array(try reader.take(Self.magic.count)) == Self.magic else { throw .badMagic }
        let version = try reader.byte()
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let tickRate = Int(try reader.byte())
        let seed = try reader.u64()
        let mapHash = try reader.u64()
        let mapName = try reader.name()
        header = Header(mapName: mapName, mapHash: mapHash, seed: seed, tickRate: tickRate)
        // Check every record now, so replay never meets a half-written one.
        while !reader.atEnd { _ = try reader.record() }
        bytes = data
    }

    /// Calls `body` for each record in order.
    public func forEachRecord(_ body: (Record) throws(InputLogError) -> Void) throws(InputLogError) {
        var reader = Reader(bytes: bytes)
        _ = try reader.take(Self.magic.count + 2 + 16)
        _ = try reader.name()
        while !reader.atEnd { try body(try reader.record()) }
    }

    /// Rebuilds the match on `map`, calling `afterStep` after every step, and returns the
    /// final world. Throws if the map differs from the recorded one, if a join gets a different
    /// id than recorded, or if a recorded state hash does not match.
    @discardableResult
    public func replay(on map: ArenaMap, afterStep: (World) -> Void = { _ in }) throws(InputLogError) -> World {
        guard map.name == header.mapName, map.contentHash == header.mapHash else {
            throw .mapMismatch(expected: header.mapName)
        }
        var world: World
        do {
            world = try World(map: map, seed: header.seed, tickRate: header.tickRate)
        } catch {
            throw .mapMismatch(expected: header.mapName)
        }
        try forEachRecord { (record) throws(InputLogError) in
            switch record {
            case .join(let name, let id):
                let got = world.addPlayer(name: name)
                guard got == id else { throw .diverged(tick: world.tick, detail: "join of \(name) got \(got.map(String.init(describing:)) ?? "no id"), recorded \(id)") }
            case .leave(let id):
                world.removePlayer(id)
            case .input(let id, let input):
                world.addInput(input, for: id)
            case .step(let hash):
                world.step()
                if let hash, hash != world.stateHash {
                    throw .diverged(tick: world.tick, detail: "state hash differs from the recording")
                }
                afterStep(world)
            }
        }
        return world
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset >= bytes.count }

        mutating func take(_ count: Int) throws(InputLogError) -> ArraySlice<UInt8> {
            guard count <= bytes.count - offset else { throw .truncated(offset: bytes.count) }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func byte() throws(InputLogError) -> UInt8 {
            guard offset < bytes.count else { throw .truncated(offset: bytes.count) }
            offset += 1
            return bytes[offset - 1]
        }

        /// Little-endian unsigned integer of `count` bytes (plain loop: replays are long).
        mutating func uint(_ count: Int) throws(InputLogError) -> UInt64 {
            guard count <= bytes.count - offset else { throw .truncated(offset: bytes.count) }
            var value: UInt64 = 0
            var i = count - 1
            while i >= 0 {
                value = value << 8 | UInt64(bytes[offset + i])
                i -= 1
            }
            offset += count
            return value
        }

        mutating func u16() throws(InputLogError) -> UInt16 { UInt16(try uint(2)) }
        mutating func u32() throws(InputLogError) -> UInt32 { UInt32(try uint(4)) }
        mutating func u64() throws(InputLogError) -> UInt64 { try uint(8) }

        mutating func name() throws(InputLogError) -> String {
            let count = Int(try byte())
            return String(decoding: try take(count), as: UTF8.self)
        }

        mutating func record() throws(InputLogError) -> Record {
            let at = offset
            let raw = try byte()
            switch Tag(rawValue: raw) {
            case .join:
                let name = try name()
                return .join(name: name, id: EntityID(rawValue: try u32()))
            case .leave:
                return .leave(EntityID(rawValue: try u32()))
            case .input:
                let id = EntityID(rawValue: try u32())
                let mx = Int8(bitPattern: try byte()), my = Int8(bitPattern: try byte())
                let aim = try u16()
                let flags = try byte()
                guard flags & ~3 == 0 else { throw .badRecord(offset: at) }
                let lag = try byte()
                return .input(id, PlayerInput(moveX: mx, moveY: my, aim: aim, fire: flags & 1 != 0, secondary: flags & 2 != 0, lagTicks: lag))
            case .step:
                return .step(hash: nil)
            case .stepWithHash:
                return .step(hash: try u64())
            case nil:
                throw .badRecord(offset: at)
            }
        }
    }
}
