import Testing

@testable import ArenaServer

@Suite struct ScoreRankingTests {
    /// The one-pass top ten is the first ten of a stable sort by rank, ties (many: few distinct
    /// scores) in the players' order, for any number of players, fewer than ten included.
    @Test func topIsTheStableSortsFirst() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: UInt64) -> UInt64 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (x >> 33) % n
        }
        var ranks: [Int] = []
        for count in [0, 1, 3, 9, 10, 11, 40, 300] {
            for _ in 0..<20 {
                let players = (0..<count).map { _ in
                    ScoreRanking(score: Int32(next(4)) - 1, kills: UInt32(next(3)), deaths: UInt32(next(3)))
                }
                ScoreRanking.top(count: count, limit: 10, into: &ranks) { players[$0] }
                let sorted = players.indices.sorted { players[$1] < players[$0] }
                #expect(ranks == Array(sorted.prefix(10)))
            }
        }
    }
}
