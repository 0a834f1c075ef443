/// The seats a room holds for dropped players during the resume grace period, and the bound on
/// them: at most `perRoom` in the room and `perAddress` for one client address. A drop past a
/// bound evicts the oldest held seat that breaks it; a new player in a room whose every seat is
/// taken evicts the oldest held seat (`oldest`). So joining and dropping in a loop can never
/// fill a room with ghosts.
///
/// A pure ledger: the room (`ArenaRoomGame`) asks what to evict and removes those players.
struct HeldSeats: Sendable {
    struct Seat: Sendable, Equatable {
        var player: UInt32
        var address: String
        /// The room tick the connection dropped.
        var since: UInt32
    }

    let perRoom: Int
    let perAddress: Int
    /// Oldest first.
    private(set) var seats: [Seat] = []

    /// The bounds of a room of `capacity` seats: a quarter of it (at least 1) per room, 2 per address.
    init(capacity: Int, perAddress: Int = 2) {
        self.perRoom = Swift.max(1, capacity / 4)
        self.perAddress = perAddress
    }

    init(perRoom: Int, perAddress: Int) {
        self.perRoom = perRoom
        self.perAddress = perAddress
    }

    var count: Int { seats.count }

    /// The player who held the seat longest, the one a new player displaces.
    var oldest: UInt32? { seats.first?.player }

    func contains(_ player: UInt32) -> Bool { seats.contains { $0.player == player } }

    /// `player` dropped at `tick`: its seat is held. Returns the players whose seats go to keep
    /// both bounds (oldest first; possibly `player` itself when a bound is 0).
    mutating func hold(_ player: UInt32, address: String, at tick: UInt32) -> [UInt32] {
        seats.append(Seat(player: player, address: address, since: tick))
        var evicted: [UInt32] = []
        while seats.filter({ $0.address == address }).count > perAddress,
              let index = seats.firstIndex(where: { $0.address == address }) {
            evicted.append(seats.remove(at: index).player)
        }
        while seats.count > perRoom {
            evicted.append(seats.removeFirst().player)
        }
        return evicted
    }

    /// The seat is no longer held: its player resumed or left the room.
    mutating func release(_ player: UInt32) {
        seats.removeAll { $0.player == player }
    }

    /// Players whose grace of `graceTicks` ran out by `tick`; their seats are released.
    mutating func expire(now tick: UInt32, graceTicks: UInt32) -> [UInt32] {
        var expired: [UInt32] = []
        while let first = seats.first, tick &- first.since > graceTicks {
            expired.append(seats.removeFirst().player)
        }
        return expired
    }
}
