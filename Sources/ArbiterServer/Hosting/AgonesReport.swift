/// What Arbiter tells Agones about its seats and players, and which SDK calls bring Agones up
/// to date: a pure value, so the choice of calls is tested without a gateway.
///
/// Both ways an allocator can select on are kept, because they suit different Agones versions
/// and cost one or two small calls per change (at most once a `reportInterval`):
/// - Labels `agones.dev/sdk-players` and `agones.dev/sdk-free-seats` (the SDK's SetLabel, GA in
///   every Agones version): a GameServerAllocation selector can exclude full instances with
///   `matchExpressions: [{key: agones.dev/sdk-free-seats, operator: NotIn, values: ["0"]}]`.
/// - The Counter `players` (Counters and Lists, beta and on by default since Agones 1.41):
///   count = players, capacity = players + free seats, so the allocator's
///   `counters: {players: {minAvailable: 1}}` and `priorities` (fullest first) work on numbers.
/// - Player tracking (alpha, feature gate PlayerTracking): the connected ids and the capacity,
///   for operators who watch `status.players`; a cluster without the gate refuses these calls,
///   which then back off (`AgonesService`).
struct AgonesReport: Sendable, Equatable {
    static let playersLabel = "players"
    static let freeSeatsLabel = "free-seats"
    static let playersCounter = "players"

    /// People in rooms, held seats included (they may resume).
    var players: Int
    /// Seats a new player could get: free seats of the rooms, plus the seats of the rooms
    /// quick-join may still create. Zero while the instance drains (it takes no new players).
    var freeSeats: Int
    var playerIDs: Set<String>

    var capacity: Int { self.players + self.freeSeats }

    /// The report for these room summaries: rooms not created yet count with `roomCapacity` seats each.
    init(summaries: [RoomSummary], maxRooms: Int, roomCapacity: Int, draining: Bool, playerIDs: Set<String>) {
        self.players = summaries.reduce(0) { $0 + $1.players + $1.held }
        let uncreated = max(0, maxRooms - summaries.count) * roomCapacity
        self.freeSeats = draining ? 0 : summaries.reduce(uncreated) { $0 + $1.free }
        self.playerIDs = playerIDs
    }

    init(players: Int, freeSeats: Int, playerIDs: Set<String>) {
        self.players = players
        self.freeSeats = freeSeats
        self.playerIDs = playerIDs
    }

    /// One SDK call.
    enum Call: Sendable, Hashable {
        case label(key: String, value: String)
        case counter(name: String, count: Int, capacity: Int)
        case playerCapacity(Int)
        case playerConnect(String)
        case playerDisconnect(String)

        /// Calls of one channel back off together when the gateway refuses one of them.
        var channel: Channel {
            switch self {
            case .label: .labels
            case .counter: .counters
            case .playerCapacity, .playerConnect, .playerDisconnect: .playerTracking
            }
        }

        /// The `call` label of `arbiter_agones_calls_total`.
        var metricName: String {
            switch self {
            case .label: "set_label"
            case .counter: "update_counter"
            case .playerCapacity: "set_player_capacity"
            case .playerConnect: "player_connect"
            case .playerDisconnect: "player_disconnect"
            }
        }
    }

    enum Channel: Sendable, CaseIterable {
        case labels, counters, playerTracking
    }
}

/// What Agones has been told (only calls it accepted count), and what it still needs to hear.
struct AgonesReported: Sendable {
    private var labels: [String: String] = [:]
    private var counter: (count: Int, capacity: Int)?
    private var playerCapacity: Int?
    private var playerIDs: Set<String> = []

    /// The calls that bring Agones to `report`, in the order to make them: per channel, the
    /// capacity before the players (a connect beyond the capacity is refused), disconnects
    /// before connects; ids sorted, so the order is the same every time.
    func calls(toReach report: AgonesReport) -> [AgonesReport.Call] {
        var calls: [AgonesReport.Call] = []
        for (key, value) in [(AgonesReport.playersLabel, "\(report.players)"), (AgonesReport.freeSeatsLabel, "\(report.freeSeats)")]
        where self.labels[key] != value {
            calls.append(.label(key: key, value: value))
        }
        if self.counter?.count != report.players || self.counter?.capacity != report.capacity {
            calls.append(.counter(name: AgonesReport.playersCounter, count: report.players, capacity: report.capacity))
        }
        // Player tracking counts connections with an id; its capacity never goes below them.
        let trackingCapacity = max(report.capacity, report.playerIDs.count)
        if self.playerCapacity != trackingCapacity { calls.append(.playerCapacity(trackingCapacity)) }
        calls += self.playerIDs.subtracting(report.playerIDs).sorted().map { .playerDisconnect($0) }
        calls += report.playerIDs.subtracting(self.playerIDs).sorted().map { .playerConnect($0) }
        return calls
    }

    /// Agones accepted `call`.
    mutating func accepted(_ call: AgonesReport.Call) {
        switch call {
        case .label(let key, let value): self.labels[key] = value
        case .counter(_, let count, let capacity): self.counter = (count, capacity)
        case .playerCapacity(let count): self.playerCapacity = count
        case .playerConnect(let id): self.playerIDs.insert(id)
        case .playerDisconnect(let id): self.playerIDs.remove(id)
        }
    }
}

/// Exponential backoff: `base`, doubling per failure, capped at `cap`; reset by a success.
struct Backoff: Sendable {
    let base: Duration
    let cap: Duration
    private(set) var failures = 0

    init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = cap
    }

    /// Counts a failure; returns how long to wait before the next attempt.
    mutating func failed() -> Duration {
        self.failures += 1
        return min(self.base * (1 << min(self.failures - 1, 20)), self.cap)
    }

    mutating func succeeded() {
        self.failures = 0
    }
}
