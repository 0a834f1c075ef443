import Testing
@testable import Arena

@Suite struct DeterminismTests {
    /// Runs a scripted match and returns the hash after every tick; `log` records it.
    static func run(map: ArenaMap, seed: UInt64, players: Int, ticks: Int, tickRate: Int = 60,
                    log: inout InputLog?) throws -> [UInt64] {
        var world = try World(map: map, seed: seed, tickRate: tickRate)
        var script = ScriptedMatch(seed: seed ^ 0xA5A5)
        var ids: [EntityID] = []
        var hashes: [UInt64] = []
        hashes.reserveCapacity(ticks)
        func join(_ name: String) {
            if let id = world.addPlayer(name: name) {
                ids.append(id)
                log?.record(.join(name: name, id: id))
            }
        }
        for n in 0..<players { join("p\(n)") }
        for t in 0..<ticks {
            // Churn: every 500 ticks one player leaves and a new one joins.
            if t % 500 == 499, !ids.isEmpty {
                let leaving = ids.remove(at: Int(script.next()) % ids.count)
                world.removePlayer(leaving)
                log?.record(.leave(leaving))
                join("n\(t)")
            }
            for id in ids {
                if let input = script.input(tick: t) {
                    world.setInput(input, for: id)
                    log?.record(.input(id, input))
                }
            }
            world.step()
            let hash = world.stateHash
            hashes.append(hash)
            // Hashes every 100 ticks make the log self-checking without bloating it.
            log?.record(.step(hash: t % 100 == 0 ? hash : nil))
        }
        return hashes
    }

    @Test func sameInputsSameHashes() throws {
        let map = try ArenaMap.load(named: "duel")
        var noLog: InputLog? = nil
        let first = try Self.run(map: map, seed: 42, players: 16, ticks: 1500, log: &noLog)
        let second = try Self.run(map: map, seed: 42, players: 16, ticks: 1500, log: &noLog)
        #expect(first == second)
        #expect(Set(first).count == first.count)  // the state changes every tick
        let otherSeed = try Self.run(map: map, seed: 43, players: 16, ticks: 50, log: &noLog)
        #expect(otherSeed != Array(first.prefix(50)))
    }

    @Test func recordedMatchReplaysToIdenticalHashes() throws {
        let map = try ArenaMap.load(named: "duel")
        let ticks = 10_000
        var log: InputLog? = InputLog(header: .init(map: map, seed: 2024, tickRate: 60))
        let recorded = try Self.run(map: map, seed: 2024, players: 32, ticks: ticks, log: &log)

        let decoded = try InputLog(decoding: log!.bytes)
        #expect(decoded == log!)
        var replayed: [UInt64] = []
        replayed.reserveCapacity(ticks)
        let final = try decoded.replay(on: map) { replayed.append($0.stateHash) }
        #expect(replayed.count == ticks)
        #expect(replayed == recorded)
        #expect(final.tick == UInt32(ticks))
        // The match was a real one: people died.
        #expect(final.players.reduce(0) { $0 + Int($1.deaths) } > 10)
    }

    @Test func replayDetectsDivergenceAndBadLogs() throws {
        let map = try ArenaMap.load(named: "duel")
        var log: InputLog? = InputLog(header: .init(map: map, seed: 5, tickRate: 30))
        _ = try Self.run(map: map, seed: 5, players: 4, ticks: 200, log: &log)
        var bytes = log!.bytes

        // Another map: refused.
        #expect(throws: InputLogError.self) { try log!.replay(on: try ArenaMap.load(named: "expanse")) }

        // Every truncation is an error (or a valid shorter log), never a crash.
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            _ = try? InputLog(decoding: Array(bytes.prefix(cut)))
        }
        #expect(throws: InputLogError.self) { try InputLog(decoding: Array(bytes.prefix(10))) }
        #expect(throws: InputLogError.self) { try InputLog(decoding: Array("nope".utf8)) }

        // Flip one input's aim: the replay notices at the next recorded hash.
        let headerLength = 4 + 1 + 1 + 16 + 1 + map.name.utf8.count
        var offset = headerLength
        var flipped = false
        var reader = InputLog.Reader(bytes: bytes, offset: headerLength)
        while !reader.atEnd && !flipped {
            offset = reader.offset
            if case .input = try reader.record() {
                bytes[offset + 7] ^= 0x40  // aim high byte
                flipped = true
            }
        }
        let tampered = try InputLog(decoding: bytes)
        let error = #expect(throws: InputLogError.self) { try tampered.replay(on: map) }
        #expect(error?.isDivergence == true)
    }

    @Test func largeMapHoldsAThousandPlayers() throws {
        var world = try World(map: try ArenaMap.load(named: "expanse"), seed: 9, tickRate: 30)
        var script = ScriptedMatch(seed: 9)
        var ids: [EntityID] = []
        for n in 0..<1000 { ids.append(world.addPlayer(name: "p\(n)")!) }
        for _ in 0..<20 {
            for id in ids { if let input = script.input() { world.setInput(input, for: id) } }
            world.step()
        }
        #expect(world.players.count == 1000)
        #expect(!world.projectiles.isEmpty)
    }
}
