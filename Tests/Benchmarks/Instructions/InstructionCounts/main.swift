import BenchmarkFixtures
import Foundation

// Instructions per operation on the server's hot paths, counted by callgrind: repeatable to a
// fraction of a percent whatever else the machine runs, unlike time on a shared VM.
//
//   instruction-counts check [--update] [--figures PATH]
//       runs every scenario under valgrind and compares with the stored figures: fails when one
//       grew by more than 5 %; --update stores the new figures (do it when a change is real).
//   instruction-counts run SCENARIO
//       one scenario, counted only inside `callgrindWindow` (what `check` runs under valgrind).

/// One measured operation, repeated `repetitions` times in one run to amortise the loop.
struct Scenario {
    let name: String
    let repetitions: Int
    /// Builds the fixture (not counted) and returns the operation (counted).
    let prepare: () -> () -> Void
}

let players = 1000
let scenarios = [
    // (a) One client's snapshot at 1,000-player density: the view fill and the delta encode,
    // every buffer warm; each of the 1,000 clients once.
    Scenario(name: "client-snapshot-expanse-1000-players", repetitions: players) {
        let fanOut = FanOut(players: players)
        return { fanOut.client() }
    },
    // (b) One Input read: decode, session, rate limit, command queue, the room's buffer push.
    Scenario(name: "input-read-1000-players", repetitions: 4 * players) {
        let path = InputPath(players: players, rounds: 4)
        return { path.input() }
    },
    // (b') The same Input from the socket's read bytes: one masked frame per read through the
    // game socket's read side (what the server installs after the upgrade), then (b).
    Scenario(name: "input-frame-read-1000-players", repetitions: 4 * players) {
        let frames = try! InputFrames(players: players, rounds: 4)
        return { frames.input() }
    },
    // (c) One frame's publish: every entity's wire value and change tick, once per tick.
    Scenario(name: "frame-publish-expanse-1000-players", repetitions: 20) {
        let fanOut = FanOut(players: players)
        return { _ = fanOut.publish() }
    },
    // (d) One tick of the simulation at that density: every player's Input (firing 1 tick in
    // 4), then the step (ships, projectiles and their hits, pickups, the view grid).
    Scenario(name: "world-step-expanse-1000-players", repetitions: 20) {
        let steps = WorldSteps(FanOut(players: players))
        return { steps.step() }
    },
]

/// The only code callgrind counts (`--toggle-collect`): `body`, `count` times.
@inline(never) func callgrindWindow(_ count: Int, _ body: () -> Void) {
    for _ in 0..<count { body() }
}

/// Exits with a message on standard error.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

/// Starts `executable` under callgrind on `scenario`, in a child process.
func startCounting(_ scenario: Scenario, executable: String, output: URL) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=*callgrindWindow*",
        "--callgrind-out-file=\(output.path)", "--quiet", executable, "run", scenario.name,
    ]
    // Dictionary lookups probe the same slots in every run.
    process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_DETERMINISTIC_HASHING": "1"]) { $1 }
    try process.run()
    return process
}

/// Runs a command to completion; false if it failed.
func run(_ arguments: [String]) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
}

/// Every scenario under callgrind, in parallel: instructions per repetition, by name.
func countAll(_ scenarios: [Scenario]) throws -> [String: Double] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("instruction-counts.\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // Valgrind 3.19 cannot read the DWARF 5 debug information swiftc emits ("Possibly corrupted
    // debuginfo file"): count a copy without it. The symbol table stays, for --toggle-collect.
    let executable = directory.appendingPathComponent("instruction-counts").path
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    guard try run(["strip", "--strip-debug", "-o", executable, me]) else { fail("strip (binutils) failed on \(me)") }
    let runs = try scenarios.map { scenario in
        let output = directory.appendingPathComponent("\(scenario.name).callgrind")
        return (scenario, output, try startCounting(scenario, executable: executable, output: output))
    }
    var counts: [String: Double] = [:]
    for (scenario, output, process) in runs {
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { fail("valgrind failed on \(scenario.name) (exit \(process.terminationStatus)); is valgrind installed?") }
        let text = try String(contentsOf: output, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("totals:") || $0.hasPrefix("summary:") }),
              let total = Double(line.split(separator: " ").dropFirst().first ?? ""), total > 0
        else { fail("no instructions counted for \(scenario.name): was callgrindWindow inlined?") }
        counts[scenario.name] = total / Double(scenario.repetitions)
    }
    return counts
}

var arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "run":
    guard arguments.count == 2, let scenario = scenarios.first(where: { $0.name == arguments[1] }) else {
        fail("usage: instruction-counts run {\(scenarios.map(\.name).joined(separator: "|"))}")
    }
    let operation = scenario.prepare()
    callgrindWindow(scenario.repetitions, operation)
case "check":
    arguments.removeFirst()
    let update = arguments.contains("--update")
    var path = "Tests/Benchmarks/Instructions/figures.json"
    if let i = arguments.firstIndex(of: "--figures"), i + 1 < arguments.count { path = arguments[i + 1] }
    let stored = (try? JSONDecoder().decode([String: Int].self, from: Data(contentsOf: URL(fileURLWithPath: path)))) ?? [:]
    let tolerance = 0.05
    var measured: [String: Int] = [:]
    var grew: [String] = []
    var shrank: [String] = []
    let counts = try countAll(scenarios)
    print("scenario                                  instructions/op      stored    change")
    for scenario in scenarios {
        let figure = Int(counts[scenario.name]!.rounded())
        measured[scenario.name] = figure
        var change = "new"
        if let old = stored[scenario.name] {
            let ratio = Double(figure) / Double(old) - 1
            change = String(format: "%+.2f %%", ratio * 100)
            if ratio > tolerance { grew.append(scenario.name) }
            if ratio < -tolerance { shrank.append(scenario.name) }
        } else if !update {
            grew.append(scenario.name)
        }
        let name = scenario.name.padding(toLength: 40, withPad: " ", startingAt: 0)
        print("\(name) \(String(format: "%15d", figure)) \(String(format: "%11d", stored[scenario.name] ?? 0))  \(change)")
    }
    if update {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(measured).write(to: URL(fileURLWithPath: path))
        print("stored in \(path)")
    } else {
        if !shrank.isEmpty {
            print("smaller by more than 5 %: \(shrank.joined(separator: ", ")); if that is real, store it so the gate holds the gain:")
            print("  swift run -c release instruction-counts check --update")
        }
        if !grew.isEmpty {
            fail("""
                more than 5 % more instructions (or no stored figure): \(grew.joined(separator: ", ")).
                Find where with callgrind_annotate on `valgrind --tool=callgrind --collect-atstart=no \
                --toggle-collect='*callgrindWindow*' COPY run NAME`, COPY being .build/release/instruction-counts \
                after `strip --strip-debug`; if the cost is deliberate, store it: swift run -c release instruction-counts check --update
                """)
        }
        print("instruction counts within 5 % of \(path)")
    }
default:
    fail("usage: instruction-counts check [--update] [--figures PATH] | run SCENARIO")
}
