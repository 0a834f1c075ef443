import Foundation
import Testing
@testable import Arena

/// Protocol/README.md §11.2 tabulates the movement and projectile tuning per tick rate, so an
/// implementer can check their reading of the derivation. The table must be what `Tuning`
/// derives; a change to the derivation fails here until the README follows.
@Suite struct TuningSpecTests {
    @Test func theReadmeTableIsWhatTuningDerives() throws {
        let readme = MovementVectorTests.directory
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
        let lines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "<!-- tuning-table -->"))
        let rows = lines[(start + 3)...].prefix { $0.hasPrefix("|") }.map { line in
            line.split(separator: "|").map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 }
        }
        #expect(rows.count >= 4)
        for row in rows {
            let t = Tuning(tickRate: row[0])
            let derived = [
                t.tickRate, Int(t.move.accel), Int(t.move.friction), Int(t.move.maxSpeed), Int(t.move.radius),
                Int(t.projectileSpeed), Int(t.projectileLifetimeTicks),
            ]
            #expect(row == derived, "README §11.2 row for \(row[0]) Hz")
        }
    }
}
