import Foundation
@testable import Arena

/// The scripted movement cases the shared vectors are generated from.
enum MovementVectorCases {
    typealias Vector = MovementVectorTests.Vector

    static func tuning(_ t: MoveTuning) -> Vector.Tuning {
        .init(accel: Int(t.accel), friction: Int(t.friction), maxSpeed: Int(t.maxSpeed), radius: Int(t.radius))
    }

    static func rect(_ x: Int, _ y: Int, _ w: Int, _ h: Int) -> Vector.Rect {
        .init(x: x * 256, y: y * 256, w: w * 256, h: h * 256)
    }

    static func make(
        _ name: String, _ description: String, tuning t: MoveTuning = Tuning(tickRate: 60).move,
        width: Int = 1600, height: Int = 1200, walls: [Vector.Rect] = [],
        start: Vector.Start, inputs: [[Int]]
    ) -> Vector {
        var v = Vector(
            name: name, description: description, tuning: tuning(t), width: width * 256, height: height * 256,
            walls: walls, start: start, inputs: inputs, expected: [])
        v.expected = MovementVectorTests.run(v)
        return v
    }

    static func repeated(_ input: [Int], _ count: Int) -> [[Int]] { Array(repeating: input, count: count) }

    static func all() -> [Vector] {
        let center = Vector.Start(x: 800 * 256, y: 600 * 256, vx: 0, vy: 0)
        // A deterministic scramble of inputs for the long mixed case (LCG, no system randomness).
        var seed: UInt32 = 12345
        var scrambled: [[Int]] = []
        for _ in 0..<400 {
            seed = seed &* 1_103_515_245 &+ 12345
            let mx = Int((seed >> 8) % 255) - 127
            seed = seed &* 1_103_515_245 &+ 12345
            let my = Int((seed >> 8) % 255) - 127
            scrambled.append((seed >> 20) % 5 == 0 ? [0, 0] : [mx, my])
        }
        let duel = (try? ArenaMap.load(named: "duel"))!
        let duelWalls = duel.walls.map { Vector.Rect(x: Int($0.x), y: Int($0.y), w: Int($0.w), h: Int($0.h)) }
        return [
            make("free-movement", "accelerate right from rest, then coast to a stop, in the open",
                 start: center, inputs: repeated([127, 0], 40) + repeated([0, 0], 60)),
            make("diagonal-normalization", "inputs longer than 127 are scaled to 127",
                 start: center, inputs: repeated([127, 127], 20) + repeated([-127, 90], 20) + repeated([100, -127], 20)
                    + repeated([-127, -127], 10) + [[127, 1], [1, 127], [-90, -90], [91, 90]]),
            make("friction-stop", "a fast ship with no input slows to exactly zero",
                 start: .init(x: 800 * 256, y: 600 * 256, vx: 1400, vy: -900), inputs: repeated([0, 0], 150)),
            make("max-speed-clamp", "a high-acceleration tuning at 10 Hz is held at maxSpeed",
                 tuning: MoveTuning(accel: 9000, friction: 20, maxSpeed: 6000, radius: 4096), width: 8000, height: 8000,
                 start: .init(x: 4000 * 256, y: 4000 * 256, vx: -5000, vy: 3000),
                 inputs: repeated([127, 0], 10) + repeated([-127, 127], 10) + repeated([0, -127], 10) + repeated([0, 0], 20)),
            make("wall-slide", "pushing diagonally into a wall stops x at its face and slides along y",
                 walls: [rect(900, 300, 40, 600)], start: center,
                 inputs: repeated([127, 60], 80) + repeated([127, -127], 40)),
            make("corner", "driving into the inside corner of two walls stops on both axes",
                 walls: [rect(900, 300, 40, 400), rect(600, 700, 340, 40)], start: center,
                 inputs: repeated([127, 127], 80) + repeated([-127, -20], 10) + repeated([127, 127], 30)),
            make("map-edge", "the map bounds stop the ship like walls, including the corner",
                 start: .init(x: 40 * 256, y: 60 * 256, vx: 0, vy: 0),
                 inputs: repeated([-127, -127], 40) + repeated([127, 0], 10) + repeated([-127, 0], 20)),
            make("thin-wall-fast", "at 10 Hz speeds a thin wall still stops the ship (swept test)",
                 tuning: Tuning(tickRate: 10).move, walls: [rect(1000, 0, 8, 1200)],
                 start: .init(x: 700 * 256, y: 600 * 256, vx: 0, vy: 0), inputs: repeated([127, 0], 20) + repeated([127, 127], 20)),
            // x then y: at tick 1 the wall blocks x while the ship still overlaps it in y; had y
            // moved first, the ship would have cleared the wall's bottom and x would not stop.
            make("axis-order", "x moves (and collides) before y: the first tick stops x at the wall, which y-first would miss",
                 walls: [rect(820, 500, 40, 86)], start: .init(x: 800 * 256, y: 600 * 256, vx: 1500, vy: 1500),
                 inputs: repeated([0, 0], 5) + repeated([127, 127], 20) + repeated([127, -127], 20)),
            make("duel-scrambled", "400 ticks of scrambled inputs among the duel map's walls",
                 walls: duelWalls, start: .init(x: 80 * 256, y: 80 * 256, vx: 0, vy: 0), inputs: scrambled),
        ]
    }

    /// One field per line, one tick per line: diffs stay readable.
    static func encode(_ v: Vector) -> String {
        func pair(_ a: [Int]) -> String { "[" + a.map(String.init).joined(separator: ", ") + "]" }
        var out = "{\n"
        out += "  \"name\": \"\(v.name)\",\n"
        out += "  \"description\": \"\(v.description)\",\n"
        let t = v.tuning
        out += "  \"tuning\": {\"accel\": \(t.accel), \"friction\": \(t.friction), \"maxSpeed\": \(t.maxSpeed), \"radius\": \(t.radius)},\n"
        out += "  \"width\": \(v.width),\n  \"height\": \(v.height),\n"
        out += "  \"walls\": [" + v.walls.map { "{\"x\": \($0.x), \"y\": \($0.y), \"w\": \($0.w), \"h\": \($0.h)}" }
            .joined(separator: ", ") + "],\n"
        out += "  \"start\": {\"x\": \(v.start.x), \"y\": \(v.start.y), \"vx\": \(v.start.vx), \"vy\": \(v.start.vy)},\n"
        out += "  \"inputs\": [\n" + v.inputs.map { "    " + pair($0) }.joined(separator: ",\n") + "\n  ],\n"
        out += "  \"expected\": [\n" + v.expected.map { "    " + pair($0) }.joined(separator: ",\n") + "\n  ]\n"
        out += "}\n"
        return out
    }

    static func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for v in all() {
            try encode(v).write(to: directory.appendingPathComponent("\(v.name).json"), atomically: true, encoding: .utf8)
        }
    }
}
