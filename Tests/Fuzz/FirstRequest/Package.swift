// swift-tools-version: 6.1
import PackageDescription

// The libFuzzer target for the server's first-request path: the bytes a new connection sends,
// through the real pipeline of an accepted connection (`GameServer.installConnectionPipeline`):
// the first-byte and request guards, NIO's HTTP decoder, the request rules (targets, lengths,
// origins, RFC 6455 §4.2.1), the upgrade, then WebSocket frames on `/echo`. A package of its own
// because everything it builds is instrumented (`-sanitize=fuzzer`, which also supplies main).
// Tests/Fuzz/run.sh builds and runs it.
let package = Package(
    name: "ArbiterFuzzFirstRequest",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The project, through a link Tests/Fuzz/run.sh makes, so its identity is "Arbiter" whatever
        // the clone's folder is called.
        .package(path: "../../../.build/fuzz-root/Arbiter"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "fuzz-first-request",
            dependencies: [
                .product(name: "ArbiterServer", package: "Arbiter"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    ]
)
