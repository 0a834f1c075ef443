import Foundation
import Testing
@testable import Arena

/// The shared movement vectors (Protocol/vectors/movement/*.json): the Swift model must
/// reproduce every tick; Clients/web/test/movement.test.js checks the JS mirror against the
/// same files. `ARBITER_UPDATE_VECTORS=1 swift test --filter MovementVectorTests` regenerates
/// them from the cases below.
@Suite struct MovementVectorTests {
    struct Vector: Codable {
        struct Tuning: Codable { var accel, friction, maxSpeed, radius: Int }
        struct Rect: Codable { var x, y, w, h: Int }
        struct Start: Codable { var x, y, vx, vy: Int }
        var name: String
        var description: String
        var tuning: Tuning
        var width: Int
        var height: Int
        var walls: [Rect]
        var start: Start
        var inputs: [[Int]]
        var expected: [[Int]]
    }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/vectors/movement")

    static func run(_ v: Vector) -> [[Int]] {
        let tuning = MoveTuning(
            accel: UInt16(v.tuning.accel), friction: UInt16(v.tuning.friction),
            maxSpeed: UInt16(v.tuning.maxSpeed), radius: UInt16(v.tuning.radius))
        let walls = v.walls.map { WallRect(x: Int32($0.x), y: Int32($0.y), w: Int32($0.w), h: Int32($0.h)) }
        var state = PlayerMovement.State(x: Int32(v.start.x), y: Int32(v.start.y), vx: Int32(v.start.vx), vy: Int32(v.start.vy))
        return v.inputs.map { input in
            PlayerMovement.step(
                &state, moveX: input[0], moveY: input[1], tuning: tuning,
                mapWidth: Int32(v.width), mapHeight: Int32(v.height), walls: walls)
            return [Int(state.x), Int(state.y), Int(state.vx), Int(state.vy)]
        }
    }

    static func loadVectors() throws -> [Vector] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { try JSONDecoder().decode(Vector.self, from: Data(contentsOf: directory.appendingPathComponent($0))) }
    }

    /// Both tests regenerate first when asked (atomic writes of identical content), so they
    /// pass in either order.
    static func updateIfRequested() throws {
        if ProcessInfo.processInfo.environment["ARBITER_UPDATE_VECTORS"] == "1" {
            try MovementVectorCases.write(to: directory)
        }
    }

    @Test func swiftModelMatchesEveryVector() throws {
        try Self.updateIfRequested()
        let vectors = try Self.loadVectors()
        #expect(vectors.count >= 8)
        for vector in vectors {
            let actual = Self.run(vector)
            #expect(actual.count == vector.expected.count, "\(vector.name)")
            for (tick, (got, want)) in zip(actual, vector.expected).enumerated() where got != want {
                Issue.record("\(vector.name) tick \(tick + 1): got \(got), expected \(want)")
                break
            }
        }
    }

    /// The committed vectors are exactly what the cases generate (nobody edited one by hand
    /// or forgot to regenerate after a model change).
    @Test func vectorsAreUpToDate() throws {
        try Self.updateIfRequested()
        let stored = try Self.loadVectors().map(\.name).sorted()
        let cases = MovementVectorCases.all().map(\.name).sorted()
        #expect(stored == cases)
        for v in MovementVectorCases.all() {
            let url = Self.directory.appendingPathComponent("\(v.name).json")
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text == MovementVectorCases.encode(v), "\(v.name).json is stale; regenerate with ARBITER_UPDATE_VECTORS=1")
        }
    }

    /// The axis-order vector is only worth having if it tells the orders apart: running the same
    /// model on the mirrored problem (x and y swapped everywhere) is the y-then-x order, and it
    /// must disagree with the vector at its first tick.
    @Test func axisOrderVectorTellsXFirstFromYFirst() throws {
        try Self.updateIfRequested()
        let v = try #require(try Self.loadVectors().first { $0.name == "axis-order" })
        #expect(Self.run(v) == v.expected)
        var mirrored = v
        mirrored.width = v.height
        mirrored.height = v.width
        mirrored.walls = v.walls.map { .init(x: $0.y, y: $0.x, w: $0.h, h: $0.w) }
        mirrored.start = .init(x: v.start.y, y: v.start.x, vx: v.start.vy, vy: v.start.vx)
        mirrored.inputs = v.inputs.map { [$0[1], $0[0]] }
        let yFirst = Self.run(mirrored).map { [$0[1], $0[0], $0[3], $0[2]] }
        #expect(yFirst[0] != v.expected[0], "y-then-x reproduces tick 1; the vector does not pin the axis order")
        #expect(v.expected[0][2] == 0 && yFirst[0][2] != 0, "x-first stops at the wall, y-first slips past it")
    }

    @Test func movementProperties() {
        // Full input from rest reaches the cap and never exceeds it; no input comes to rest.
        let tuning = Tuning(tickRate: 60).move
        var state = PlayerMovement.State(x: 100 * 256, y: 100 * 256)
        for _ in 0..<120 {
            PlayerMovement.step(&state, moveX: 127, moveY: 127, tuning: tuning, mapWidth: 4000 * 256, mapHeight: 4000 * 256, walls: [])
            let speed2 = Int64(state.vx) * Int64(state.vx) + Int64(state.vy) * Int64(state.vy)
            #expect(speed2 <= Int64(tuning.maxSpeed) * Int64(tuning.maxSpeed))
        }
        #expect(Int(state.vx) >= Int(tuning.maxSpeed) * 7 / 10)
        for _ in 0..<240 {
            PlayerMovement.step(&state, moveX: 0, moveY: 0, tuning: tuning, mapWidth: 4000 * 256, mapHeight: 4000 * 256, walls: [])
        }
        #expect(state.vx == 0 && state.vy == 0)
    }
}
