// swift-tools-version: 6.1
//
// SupportBot's benchmarks: a package of their own that depends on the root package (..) through
// its library products, so benchmark code never shapes the product's manifest. Each target
// declares exactly the modules it imports. Build and run them through the scripts (bench/*/run,
// scripts/run-benchmarks, `make bench`), or by hand from the repository root:
//
//   swift build -c release --package-path bench
//   "$(swift build -c release --package-path bench --show-bin-path)/bench-assistant" --canned-texts --intents intents

import PackageDescription

let package = Package(
    name: "SupportBotBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SupportBot", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
    ],
    targets: [
        // MARK: System libraries

        /// OpenBLAS for the encoder benchmark's sgemm peer. The root's COpenBLAS is not a product,
        /// and target and module names must be unique across the package graph, hence a module
        /// of its own name over the same header.
        .systemLibrary(
            name: "BenchOpenBLAS",
            path: "BenchOpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: Benchmarks (release builds via `make bench`)

        /// Encoder benchmark: sentences/s, latency and RSS against sgemm and NumPy peers; run encoder/run.
        .executableTarget(
            name: "bench-encoder",
            dependencies: [
                "BenchOpenBLAS",
                .product(name: "Encoder", package: "SupportBot"),
            ],
            path: "encoder/Sources"
        ),
        /// The ceiling for the server benchmark: a bare TLS line echo server; run server/run.
        .executableTarget(
            name: "bench-echo-server",
            dependencies: [
                .product(name: "Server", package: "SupportBot"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "server/EchoServer"
        ),
        /// SupportBot's protocol server and store with a constant responder; run server/run.
        .executableTarget(
            name: "bench-constant-server",
            dependencies: [
                .product(name: "SupportCore", package: "SupportBot"),
                .product(name: "Store", package: "SupportBot"),
                .product(name: "Conversations", package: "SupportBot"),
                .product(name: "Server", package: "SupportBot"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "server/ConstantServer"
        ),
        /// Web channel benchmark: a round trip over `/ws` against the same request over the line
        /// protocol, same server, interleaved; messages/s per transport; run web/run.
        .executableTarget(
            name: "bench-web-latency",
            dependencies: [
                .product(name: "Server", package: "SupportBot"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "web/Latency"
        ),
        /// Store benchmark: write throughput, commit latency, export; run store/run.
        .executableTarget(
            name: "bench-store",
            dependencies: [
                .product(name: "SupportCore", package: "SupportBot"),
                .product(name: "Store", package: "SupportBot"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "store/Sources"
        ),
        /// PostgreSQL store benchmark: durable pairs/s with many writers; run postgres/run.
        .executableTarget(
            name: "bench-postgres-store",
            dependencies: [
                .product(name: "SupportCore", package: "SupportBot"),
                .product(name: "Store", package: "SupportBot"),
                .product(name: "PostgresStore", package: "SupportBot"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "postgres/Sources"
        ),
        /// Retrieval benchmarks: quality on a FAQ folder, query latency and reload at scale; run
        /// faq-eval/run, retrieval/run.
        .executableTarget(
            name: "bench-retrieval",
            dependencies: [
                .product(name: "Content", package: "SupportBot"),
                .product(name: "Encoder", package: "SupportBot"),
                .product(name: "Retrieval", package: "SupportBot"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "retrieval/Sources"
        ),
        /// Generation benchmarks: composer latency; LLM time to first delta and total against
        /// curl; run generation/run.
        .executableTarget(
            name: "bench-generation",
            dependencies: [
                .product(name: "Content", package: "SupportBot"),
                .product(name: "Retrieval", package: "SupportBot"),
                .product(name: "Generation", package: "SupportBot"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "generation/Sources"
        ),
        /// Classifier benchmark on CLINC150: in-process latency and training figures; run clinc150/run.
        .executableTarget(
            name: "bench-classifier",
            dependencies: [
                .product(name: "Content", package: "SupportBot"),
                .product(name: "Encoder", package: "SupportBot"),
                .product(name: "Classifier", package: "SupportBot"),
            ],
            path: "clinc150/Sources"
        ),
        /// Assistant benchmark: per-route latency in process next to the encoder; run assistant/run.
        .executableTarget(
            name: "bench-assistant",
            dependencies: [
                .product(name: "SupportCore", package: "SupportBot"),
                .product(name: "Content", package: "SupportBot"),
                .product(name: "Encoder", package: "SupportBot"),
                .product(name: "Assistant", package: "SupportBot"),
                .product(name: "Application", package: "SupportBot"),
                .product(name: "Retrieval", package: "SupportBot"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "assistant/Sources"
        ),
        /// Redaction benchmark: the redactor's recall per kind, precision and MB/s on the labelled
        /// corpus (Tests/RedactionTests/Corpus) next to the redactor before its rewrite and
        /// libphonenumber; run redaction/run.
        .executableTarget(
            name: "bench-redaction",
            dependencies: [
                .product(name: "Redaction", package: "SupportBot")
            ],
            path: "redaction/Sources"
        ),
    ]
)

// The same language settings as the root package.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
