import ArenaServer
import Crypto
import Testing

/// Protocol/README.md §7.3: the ticket's layout and each way it is refused.
@Suite struct JoinTicketTests {
    let secret = SymmetricKey(data: Array("a test secret of 32 bytes, yes..".utf8))
    let now: UInt64 = 1_800_000_000

    func verify(_ bytes: [UInt8]?, name: String = "Ada", room: Int = 3, now: UInt64? = nil) -> Result<JoinTicket, JoinTicket.Failure> {
        JoinTicket.verify(bytes, secret: secret, name: name, room: room, now: now ?? self.now)
    }

    @Test func aSignedTicketVerifies() throws {
        let ticket = JoinTicket(name: "Ada", room: 3, expires: now + 60)
        #expect(try verify(ticket.signed(with: secret)).get() == ticket)
        let anyRoom = JoinTicket(name: "Ada", room: nil, expires: now + 60)
        #expect(try verify(anyRoom.signed(with: secret), room: 99).get() == anyRoom)
    }

    /// The layout byte for byte, with the MAC computed independently of `signed(with:)`.
    @Test func theLayoutIsTheSpecs() {
        let bytes = JoinTicket(name: "Ada", room: 0x0102_0304, expires: 0x1122_3344_5566_7788).signed(with: secret)
        let header: [UInt8] = [1, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 1, 2, 3, 4, 3] + Array("Ada".utf8)
        #expect(Array(bytes.prefix(header.count)) == header)
        #expect(Array(bytes.dropFirst(header.count)) == Array(HMAC<SHA256>.authenticationCode(for: header, using: secret)))
        #expect(bytes.count == 14 + 3 + 32)
        let longest = JoinTicket(name: "123456789012345", room: 1, expires: 1).signed(with: secret)
        #expect(longest.count <= JoinTicket.maxSize)
    }

    @Test func eachRefusal() {
        let good = JoinTicket(name: "Ada", room: 3, expires: now + 60).signed(with: secret)
        #expect(verify(nil) == .failure(.missing))
        #expect(verify([]) == .failure(.malformed))
        #expect(verify(Array(good.dropLast())) == .failure(.malformed))
        var otherVersion = good
        otherVersion[0] = 2
        #expect(verify(otherVersion) == .failure(.malformed))
        var tampered = good
        tampered[12] ^= 1  // the room
        #expect(verify(tampered) == .failure(.badSignature))
        let otherSecret = JoinTicket(name: "Ada", room: 3, expires: now + 60).signed(with: SymmetricKey(data: Array("another secret of 32 bytes, yes.".utf8)))
        #expect(verify(otherSecret) == .failure(.badSignature))
        #expect(verify(good, now: now + 60) == .failure(.expired))
        #expect(verify(good, now: now + 59).isSuccess)
        #expect(verify(good, name: "ada") == .failure(.wrongName))
        #expect(verify(good, room: 4) == .failure(.wrongRoom))
    }

    /// `arbiter-server ticket`'s output: base64url of a ticket the server accepts until the TTL
    /// runs out, for the name as the policy writes it.
    @Test func aMintedTicketVerifies() throws {
        let secret = Array("a test secret of 32 bytes, yes..".utf8)
        let text = try #require(JoinTicket.mint(secret: secret, name: " Zoe\u{301} ", room: 3, ttl: 600, now: now))
        let bytes = try #require(JoinTicket.bytes(base64URL: text))
        let ticket = try verify(bytes, name: "Zo\u{E9}", room: 3, now: now + 599).get()
        #expect(ticket == JoinTicket(name: "Zo\u{E9}", room: 3, expires: now + 600))
        #expect(verify(bytes, name: "Zo\u{E9}", room: 3, now: now + 600) == .failure(.expired))
        #expect(JoinTicket.mint(secret: secret, name: "bot-1", room: nil, ttl: 600) == nil)
    }

    @Test func base64URLRoundTrips() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let text = JoinTicket.base64URL(bytes)
            #expect(!text.contains("+") && !text.contains("/") && !text.contains("="))
            #expect(JoinTicket.bytes(base64URL: text) == bytes)
        }
        #expect(JoinTicket.bytes(base64URL: "not base64!") == nil)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
