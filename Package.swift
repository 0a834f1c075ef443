// swift-tools-version: 6.1
import PackageDescription

// Targets by responsibility:
// - ArbiterProtocol: bit-level runtime plus the codecs generated from Protocol/arena.schema.
// - SchemaCompiler: parses the schema and emits the Swift and JavaScript codecs (arbiter-protocolgen).
// - Arena: the deterministic game simulation. No networking, no clock, no system randomness.
// - ArbiterServer: the game-agnostic engine: rooms on tick threads, the NIO game socket, the
//   Hummingbird HTTP side, metrics. It knows no game and no schema.
// - ArenaServer: Arena on the engine: the room game, the player sessions, the composition root.
// - ArbiterClient: a SwiftNIO WebSocket client that speaks the protocol (tests, bots, benchmarks);
//   it predicts its own ship with Arena's movement code, as the browser does.
// - Executables stay thin: they parse options and call into the libraries.
let package = Package(
    name: "Arbiter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arbiter-server", targets: ["arbiter-server"]),
        .executable(name: "arbiter-bot", targets: ["arbiter-bot"]),
        .executable(name: "arbiter-protocolgen", targets: ["arbiter-protocolgen"]),
        .executable(name: "arbiter-bench", targets: ["arbiter-bench"]),
        .library(name: "ArbiterProtocol", targets: ["ArbiterProtocol"]),
        .library(name: "Arena", targets: ["Arena"]),
        .library(name: "ArbiterClient", targets: ["ArbiterClient"]),
        .library(name: "ArbiterServer", targets: ["ArbiterServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in the graph through Hummingbird; named here because the game socket's upgrade
        // pipeline hands non-upgraded requests to Hummingbird through NIOHTTPTypesHTTP1.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // HMAC-SHA256 for signed join tickets (Crypto only; BoringSSL on Linux).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Already in the graph through benchmark; LatencyHistogram is an HdrHistogram.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // arbiter-bench's /metrics scrape. Adds swift-nio-ssl (BoringSSL), swift-nio-http2 and
        // swift-algorithms to a clean debug build: 288 s wall on the shared 2-core machine (load ~9),
        // 184 s of CPU; worth it because TLS and the Agones SDK client (ArbiterServer) want it too.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Tests only: reads back the Kubernetes manifests `arbiter-server deploy` prints.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // arbiter-server's settings from flags, ARBITER_* variables and a JSON or YAML file
        // (ArbiterSettings). The YAML trait parses with the Yams above.
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["JSON", "YAML"]),
        // HTTPS/WSS on the game port and wss:// in the client (already in the graph through
        // async-http-client).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Tests only: a self-signed certificate made in process for the TLS tests.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.5.0"),
    ],
    targets: [
        .target(name: "ArbiterProtocol"),
        // The WebSocket pieces the server, the client library and the load generator share: frame
        // parsing in place, header sizes, masking, UTF-8 checks and cuts, close codes, the close
        // handshake as a pure state machine.
        .target(
            name: "ArbiterWebSocket",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(name: "SchemaCompiler"),
        .executableTarget(
            name: "arbiter-protocolgen",
            dependencies: ["SchemaCompiler", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The maps are compiled into the binary (`PackageResources`), so a server finds them wherever
        // it is started, with no resource bundle to ship beside it.
        .target(name: "Arena", resources: [.embedInCode("Maps")]),
        // The bots' decision-making, from what a client sees; shared by arbiter-bot and the
        // server's fill bots.
        .target(name: "ArenaBot", dependencies: ["ArbiterProtocol"]),
        .target(
            name: "ArbiterServer",
            dependencies: [
                "ArbiterWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // The Agones SDK's REST gateway (Hosting/AgonesSDKClient).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ArenaServer",
            dependencies: [
                "ArbiterServer", "ArbiterProtocol", "Arena", "ArenaBot",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "ArbiterClient",
            dependencies: [
                "ArbiterProtocol", "Arena", "ArbiterWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // arbiter-server's settings, each declared once: flag, ARBITER_* variable and config-file
        // key, read in that order of precedence through swift-configuration, defaults from
        // ServerConfiguration.
        .target(
            name: "ArbiterSettings",
            dependencies: [
                "ArbiterServer", "ArenaServer",
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .executableTarget(
            name: "arbiter-server",
            dependencies: [
                "ArbiterServer", "ArenaServer", "ArbiterSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // arbiter-bot's testable parts: the fleet of bots on event loops, its summary, and the
        // terminal view (a pure renderer plus the raw-mode terminal around it).
        .target(
            name: "ArbiterBotKit",
            dependencies: [
                "ArbiterClient", "ArbiterProtocol", "ArbiterWebSocket", "Arena", "ArenaBot", "LeanSocket", "CEpoll",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "arbiter-bot",
            dependencies: [
                "ArbiterBotKit", "ArbiterClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // epoll and timerfd headers for the lean socket code (Linux only).
        .target(name: "CEpoll"),
        // Raw nonblocking sockets, epoll, the client upgrade and RFC 6455 client framing for load
        // generators on one thread: arbiter-bench's lean load and arbiter-bot's lean transport.
        .target(
            name: "LeanSocket",
            dependencies: ["ArbiterProtocol", "ArbiterWebSocket", "CEpoll", .product(name: "NIOWebSocket", package: "swift-nio")]
        ),
        // Bandwidth, capacity and latency measurements (`swift run -c release arbiter-bench all`).
        .target(
            name: "ArbiterBench",
            dependencies: [
                "ArbiterServer", "ArenaServer", "ArbiterClient", "ArbiterBotKit", "ArbiterProtocol", "Arena", "ArenaBot", "CEpoll", "LeanSocket",
                "ArbiterWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "arbiter-bench",
            dependencies: [
                "ArbiterBench", "ArbiterBotKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ArbiterProtocolTests", dependencies: ["ArbiterProtocol", "SchemaCompiler"]),
        .testTarget(name: "SchemaCompilerTests", dependencies: ["SchemaCompiler"]),
        .testTarget(name: "ArenaTests", dependencies: ["Arena"]),
        .testTarget(name: "ArbiterSettingsTests", dependencies: ["ArbiterSettings", "ArbiterServer", "ArenaServer"]),
        // A live Arena server on port 0 and the Prometheus text reader, shared by the test targets
        // that play against a real server.
        .target(
            name: "ArenaTestSupport",
            dependencies: [
                "ArbiterServer", "ArenaServer",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ArenaTestSupport"
        ),
        // A self-signed certificate and key made at test time, for the HTTPS/WSS tests.
        .target(
            name: "TLSTestSupport",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TLSTestSupport"
        ),
        .testTarget(
            name: "ArbiterServerTests",
            dependencies: [
                "ArbiterServer", "ArbiterWebSocket", "TLSTestSupport",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ArenaServerTests",
            dependencies: [
                "ArenaServer", "ArbiterServer", "ArbiterClient", "ArbiterProtocol", "Arena", "ArenaTestSupport", "TLSTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ArbiterClientTests",
            dependencies: [
                "ArbiterClient", "ArbiterProtocol", "Arena", "TLSTestSupport",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ArbiterBotTests",
            dependencies: [
                "ArbiterBotKit", "ArenaBot", "ArbiterServer", "ArenaServer", "ArenaTestSupport", "ArbiterClient", "ArbiterProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ArbiterBenchTests",
            dependencies: [
                "ArbiterBench", "ArbiterServer", "ArenaServer", "ArenaTestSupport", "ArbiterProtocol", "LeanSocket",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // package-benchmark finds benchmark targets under a folder named Benchmarks:
        // `swift package benchmark` runs them (release build, allocation counts included).
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: ["ArbiterProtocol", .product(name: "Benchmark", package: "benchmark")],
            path: "Tests/Benchmarks/CodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The fan-out and input fixtures that FanOutBenchmarks times and instruction-counts counts.
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                "ArbiterServer", "ArenaServer", "Arena", "ArbiterProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Benchmarks/BenchmarkFixtures"
        ),
        // Instructions per operation under callgrind, checked against stored figures in CI
        // (`swift run -c release instruction-counts check`). Not under Benchmarks/ directly:
        // package-benchmark would take it for one of its suites.
        .executableTarget(
            name: "instruction-counts",
            dependencies: ["BenchmarkFixtures"],
            path: "Tests/Benchmarks/Instructions/InstructionCounts"
        ),
        .executableTarget(
            name: "FanOutBenchmarks",
            dependencies: ["BenchmarkFixtures", .product(name: "Benchmark", package: "benchmark")],
            path: "Tests/Benchmarks/FanOutBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ArenaBenchmarks",
            dependencies: ["Arena", .product(name: "Benchmark", package: "benchmark")],
            path: "Tests/Benchmarks/ArenaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
