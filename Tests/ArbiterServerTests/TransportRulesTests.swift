import NIOCore
import NIOHTTP1
import Testing

@testable import ArbiterServer

/// The pure parts of the transport's admission and request checks.
@Suite struct TransportRulesTests {
    @Test func idleConnectionsMakeRoomAndBusyOnesDoNot() {
        var table = ConnectionTable<Int>(maxConnections: 3, maxPerAddress: 2)
        guard case .admitted(let first, nil) = table.admit(address: "a", handle: 1) else { Issue.record("first"); return }
        guard case .admitted(_, nil) = table.admit(address: "a", handle: 2) else { Issue.record("second"); return }
        // Address "a" is full: the newcomer takes the oldest idle one's place.
        guard case .admitted(let third, 1?) = table.admit(address: "a", handle: 3) else { Issue.record("evict"); return }
        #expect(table.count(address: "a") == 2)
        table.markInUse(id: third)
        guard case .admitted(_, nil) = table.admit(address: "b", handle: 4) else { Issue.record("b"); return }
        // Globally full: the oldest idle one anywhere (2) gives way.
        guard case .admitted(_, 2?) = table.admit(address: "c", handle: 5) else { Issue.record("global"); return }
        table.remove(id: first)  // already evicted: no effect
        #expect(table.count == 3)
    }

    @Test func refusedWhenNothingIsIdle() {
        var table = ConnectionTable<Int>(maxConnections: 2, maxPerAddress: 1)
        guard case .admitted(let a, _) = table.admit(address: "a", handle: 1) else { Issue.record("a"); return }
        table.markInUse(id: a)
        guard case .refused(.perAddress) = table.admit(address: "a", handle: 2) else { Issue.record("per address"); return }
        guard case .admitted(let b, _) = table.admit(address: "b", handle: 3) else { Issue.record("b"); return }
        table.markInUse(id: b)
        guard case .refused(.global) = table.admit(address: "c", handle: 4) else { Issue.record("global"); return }
        table.remove(id: a)
        guard case .admitted(let c, _) = table.admit(address: "c", handle: 5) else { Issue.record("after close"); return }
        table.markInUse(id: c)
        // Exempt from the per-address cap (loopback), still under the global one.
        table.remove(id: b)
        guard case .admitted = table.admit(address: "c", handle: 6, limitedPerAddress: false) else { Issue.record("exempt"); return }
    }

    @Test func ipv6AddressesCountByTheirSlash64() throws {
        let one = try SocketAddress(ipAddress: "2001:db8:1:2:aaaa::1", port: 1)
        let other = try SocketAddress(ipAddress: "2001:db8:1:2:bbbb::2", port: 2)
        let elsewhere = try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 1)
        #expect(ConnectionLimiter.addressKey(one) == "2001:db8:1:2::/64")
        #expect(ConnectionLimiter.addressKey(one) == ConnectionLimiter.addressKey(other))
        #expect(ConnectionLimiter.addressKey(one) != ConnectionLimiter.addressKey(elsewhere))
        #expect(ConnectionLimiter.addressKey(try SocketAddress(ipAddress: "192.0.2.7", port: 1)) == "192.0.2.7")
        #expect(ConnectionLimiter.isLoopback(ConnectionLimiter.addressKey(try SocketAddress(ipAddress: "::1", port: 1))))
    }

    @Test func sameOriginComparesHostAndPort() {
        let policy = OriginPolicy(allowedOrigins: [])
        #expect(policy.allows(origin: nil, host: "game.example"))
        #expect(policy.allows(origin: "https://game.example", host: "game.example"))
        #expect(policy.allows(origin: "http://game.example:8080", host: "GAME.example:8080"))
        #expect(policy.allows(origin: "https://game.example", host: "game.example:443"))
        #expect(!policy.allows(origin: "http://game.example:8081", host: "game.example:8080"))
        #expect(!policy.allows(origin: "http://evil.example", host: "game.example"))
        #expect(!policy.allows(origin: "null", host: "game.example"))
        #expect(!policy.allows(origin: "https://game.example", host: nil))
        #expect(OriginPolicy.normalized("https://a.example/path") == nil)
    }

    @Test func requestTargetsAndKeys() {
        #expect(HTTPRequestRules.isValidTarget("/play?room=3&name=Zo%C3%AB"))
        #expect(!HTTPRequestRules.isValidTarget("/play?name=Zoë"))
        #expect(!HTTPRequestRules.isValidTarget("/index.html%00.js"))
        #expect(!HTTPRequestRules.isValidTarget("http://elsewhere/"))
        #expect(HTTPRequestRules.isWebSocketKey("dGhlIHNhbXBsZSBub25jZQ=="))
        #expect(!HTTPRequestRules.isWebSocketKey("dGhlIHNhbXBsZSBub25j"))
        #expect(!HTTPRequestRules.isWebSocketKey("dGhlIHNhbXBsZSBub25jZQ=!"))
    }

    @Test func readProbePingsNowAndThenAndFindsAStall() {
        let ms: Int64 = 1_000_000
        var probe = ReadProbe(timeout: 800 * ms, now: 0)
        #expect(probe.messageSent(now: 50 * ms) == .none)  // not yet due (every 100 ms)
        guard case .ping(let first) = probe.messageSent(now: 100 * ms) else { Issue.record("no ping"); return }
        #expect(probe.messageSent(now: 150 * ms) == .none)  // one ping at a time
        probe.pongReceived(token: first &+ 1, now: 160 * ms)  // not ours: ignored
        probe.pongReceived(token: first, now: 170 * ms)
        #expect(probe.messageSent(now: 200 * ms) == .none)
        guard case .ping = probe.messageSent(now: 270 * ms) else { Issue.record("no second ping"); return }
        #expect(probe.messageSent(now: 1_000 * ms) == .none)
        #expect(!probe.isStalled(now: 1_000 * ms))
        #expect(probe.messageSent(now: 1_070 * ms) == .stalled)
        #expect(probe.isStalled(now: 1_100 * ms))
    }
}
