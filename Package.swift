// swift-tools-version: 6.1
//
// SupportBot: a customer-support chatbot backend. One library target per concern, with
// one-way dependencies (see README "Modules"):
//
//   Content  Encoder  Store
//      \      /  \      |
//   Classifier  Retrieval
//          \      |   Generation
//           Assistant
//              |
//            Server
//              |
//          supportbot (CLI)

import PackageDescription

let package = Package(
    name: "SupportBot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "supportbot", targets: ["supportbot"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // MARK: System libraries

        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: Libraries, one per concern

        /// Parsing and watching `intents/` and `faqs/`.
        .target(
            name: "Content",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// WordPiece tokenizer and MiniLM-L6 sentence encoder on OpenBLAS.
        .target(
            name: "Encoder",
            dependencies: [
                "COpenBLAS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Intent classifier: features, training, out-of-scope calibration, evaluation.
        .target(
            name: "Classifier",
            dependencies: [
                "Content", "Encoder",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// FAQ retrieval: BM25, dense search, fusion.
        .target(
            name: "Retrieval",
            dependencies: [
                "Content", "Encoder",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Answer generation from retrieved FAQ entries.
        .target(
            name: "Generation",
            dependencies: [
                "Retrieval",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        /// Conversation store on SQLite (GRDB): schema, group commit, export, retention.
        .target(
            name: "Store",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The routing pipeline: message in, reply out.
        .target(
            name: "Assistant",
            dependencies: [
                "Content", "Encoder", "Classifier", "Retrieval", "Generation", "Store",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// TLS line-protocol server on SwiftNIO.
        .target(
            name: "Server",
            dependencies: [
                "Assistant", "Generation", "Store",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        /// The command-line tool; thin: parses arguments and calls the libraries.
        .executableTarget(
            name: "supportbot",
            dependencies: [
                "Content", "Encoder", "Classifier", "Retrieval", "Generation", "Store",
                "Assistant", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        /// Encoder benchmark (release): sentences/s, latency and RSS against sgemm and NumPy peers; run bench/encoder/run.
        .executableTarget(
            name: "bench-encoder",
            dependencies: ["Encoder", "COpenBLAS"],
            path: "bench/encoder/Sources"
        ),

        // MARK: Benchmarks (bench/; release builds via `make bench`)

        .executableTarget(
            name: "bench-echo-server",
            dependencies: [
                "Server",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "bench/server/EchoServer"
        ),
        .executableTarget(
            name: "bench-constant-server",
            dependencies: [
                "Server", "Store", "Assistant",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/server/ConstantServer"
        ),
        .executableTarget(
            name: "bench-store",
            dependencies: ["Store", .product(name: "Logging", package: "swift-log")],
            path: "bench/store/Sources"
        ),
        /// Retrieval benchmarks (release): quality on a FAQ folder, query latency and reload at scale; run bench/faq-eval/run, bench/retrieval/run.
        .executableTarget(
            name: "bench-retrieval",
            dependencies: ["Retrieval", "Content", "Encoder", .product(name: "Logging", package: "swift-log")],
            path: "bench/retrieval/Sources"
        ),

        /// Generation benchmarks (release): composer latency; LLM time to first delta and total against curl; run bench/generation/run.
        .executableTarget(
            name: "bench-generation",
            dependencies: ["Generation", "Retrieval", "Content", .product(name: "Logging", package: "swift-log")],
            path: "bench/generation/Sources"
        ),

        /// Classifier benchmark on CLINC150 (bench/clinc150/run): in-process latency and training figures.
        .executableTarget(
            name: "bench-classifier",
            dependencies: ["Classifier", "Content", "Encoder"],
            path: "bench/clinc150/Sources"
        ),

        /// Assistant benchmark (release): per-route latency in process next to the encoder; run bench/assistant/run.
        .executableTarget(
            name: "bench-assistant",
            dependencies: [
                "Assistant", "Classifier", "Content", "Encoder", "Retrieval", "Store",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/assistant/Sources"
        ),
        // MARK: Tests

        /// Shared test helpers: runtime certificates, server harness, temporary directories.
        .target(
            name: "TestSupport",
            dependencies: [
                "Server", "Assistant", "Store",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "ContentTests", dependencies: ["Content"]),
        .testTarget(name: "EncoderTests", dependencies: ["Encoder"]),
        .testTarget(name: "ClassifierTests", dependencies: ["Classifier", "Content"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "Content", "Encoder"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Retrieval", "Content"]),
        /// Helper process for the store's SIGKILL crash test and permission test.
        .executableTarget(
            name: "store-crash-writer",
            dependencies: ["Store", .product(name: "Logging", package: "swift-log")],
            path: "Tests/StoreCrashWriter"
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "store-crash-writer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "AssistantTests", dependencies: ["Assistant", "Store", "Content", "Server", "TestSupport"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "TestSupport", "Assistant", "Store"]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
