@testable import ArenaServer
import Testing

/// The held-seat ledger and the resume token, without a server.
@Suite struct AdmissionUnitTests {
    @Test func aRoomHoldsAQuarterOfItsSeatsAtMost() {
        var seats = HeldSeats(capacity: 16)
        #expect(seats.perRoom == 4 && seats.perAddress == 2)
        var evicted: [UInt32] = []
        for player in UInt32(1)...6 { evicted += seats.hold(player, address: "10.0.0.\(player)", at: player) }
        #expect(evicted == [1, 2], "the oldest go first")
        #expect(seats.seats.map(\.player) == [3, 4, 5, 6])
        #expect(seats.oldest == 3)
    }

    @Test func oneAddressHoldsTwoSeatsAtMost() {
        var seats = HeldSeats(capacity: 16)
        #expect(seats.hold(1, address: "a", at: 1).isEmpty)
        #expect(seats.hold(2, address: "b", at: 2).isEmpty)
        #expect(seats.hold(3, address: "a", at: 3).isEmpty)
        #expect(seats.hold(4, address: "a", at: 4) == [1], "a's oldest, not b's")
        #expect(seats.seats.map(\.player) == [2, 3, 4])
    }

    @Test func heldSeatsExpireAfterTheGraceAndCanBeReleased() {
        var seats = HeldSeats(perRoom: 8, perAddress: 8)
        _ = seats.hold(1, address: "a", at: 10)
        _ = seats.hold(2, address: "a", at: 20)
        _ = seats.hold(3, address: "a", at: 30)
        seats.release(2)
        #expect(seats.expire(now: 40, graceTicks: 30).isEmpty)
        #expect(seats.expire(now: 41, graceTicks: 30) == [1])
        #expect(seats.seats.map(\.player) == [3])
        #expect(!seats.contains(1) && seats.contains(3))
    }

    @Test func aBoundOfZeroHoldsNothing() {
        var seats = HeldSeats(perRoom: 0, perAddress: 2)
        #expect(seats.hold(7, address: "a", at: 1) == [7])
        #expect(seats.count == 0)
    }

    /// Held seats are counted per address, whatever the port.
    @Test func theAddressIsThePeerWithoutItsPort() {
        #expect(ArenaPlayService.address(of: "[IPv4]10.0.0.7/10.0.0.7:5123") == "[IPv4]10.0.0.7/10.0.0.7")
        #expect(ArenaPlayService.address(of: "[IPv4]10.0.0.7/10.0.0.7:6000") == ArenaPlayService.address(of: "[IPv4]10.0.0.7/10.0.0.7:5123"))
        #expect(ArenaPlayService.address(of: "[IPv6]::1/::1:443") == "[IPv6]::1/::1")
        #expect(ArenaPlayService.address(of: "?") == "?")
    }

    @Test func tokensAreSixteenFreshBytes() {
        let tokens = (0..<1000).map { _ in ResumeToken.random().bytes }
        #expect(tokens.allSatisfy { $0.count == 16 })
        #expect(Set(tokens).count == 1000)
        // Every bit position takes both values over 1000 tokens (a stuck byte would not).
        for bit in 0..<128 {
            let ones = tokens.filter { $0[bit / 8] >> UInt8(bit % 8) & 1 == 1 }.count
            #expect(ones > 350 && ones < 650, "bit \(bit): \(ones) ones")
        }
    }

    @Test func aTokenMatchesOnlyItself() {
        let token = ResumeToken.random()
        #expect(token.matches(token.bytes))
        var flipped = token.bytes
        flipped[15] ^= 1
        #expect(!token.matches(flipped))
        #expect(!token.matches(Array(token.bytes.prefix(15))))
        #expect(!token.matches([]))
    }
}
