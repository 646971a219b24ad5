// swift-tools-version: 6.1
//
// SupportBot: a customer-support chatbot backend. One library target per concern, with
// one-way dependencies; README "Modules" is generated from this manifest
// (scripts/module-map) and `make test` checks that it still matches.
//
//   supportbot (CLI) → Application → Server → Conversations → SupportCore
//   Application → Assistant → Classifier, Retrieval, Generation → Content, Encoder
//   Application → Store → SupportCore;  AssistantEvaluation → Assistant;
//   Reports → Store, Classifier, Retrieval   (the exact table: README "Modules")
//
// Benchmarks are a package of their own in bench/ that depends on this one.

import PackageDescription

let package = Package(
    name: "SupportBot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "supportbot", targets: ["supportbot"]),
        // Libraries for the benchmark package (bench/Package.swift).
        .library(name: "SupportCore", targets: ["SupportCore"]),
        .library(name: "Content", targets: ["Content"]),
        .library(name: "Encoder", targets: ["Encoder"]),
        .library(name: "Classifier", targets: ["Classifier"]),
        .library(name: "Retrieval", targets: ["Retrieval"]),
        .library(name: "Generation", targets: ["Generation"]),
        .library(name: "Redaction", targets: ["Redaction"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
        .library(name: "Assistant", targets: ["Assistant"]),
        .library(name: "Conversations", targets: ["Conversations"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "WebChannel", targets: ["WebChannel"]),
        .library(name: "Application", targets: ["Application"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // MARK: System libraries

        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        .systemLibrary(
            name: "CDNNL",
            providers: [.apt(["libdnnl-dev"])]
        ),

        // MARK: Libraries, one per concern, bottom up

        /// The domain vocabulary: ids, conversations, messages, sources, ratings, routes, the
        /// responder and store protocols, one word splitter. Depends on nothing of ours.
        .target(name: "SupportCore"),
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
                "COpenBLAS", "CDNNL",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Intent classifier: features, training, out-of-scope calibration, evaluation.
        .target(
            name: "Classifier",
            dependencies: [
                "SupportCore", "Content", "Encoder", "COpenBLAS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// FAQ retrieval: BM25, dense search, fusion.
        .target(
            name: "Retrieval",
            dependencies: [
                "SupportCore", "Content", "Encoder",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Answer generation from retrieved FAQ entries: the grounded composer and the LLM client.
        .target(
            name: "Generation",
            dependencies: [
                "SupportCore", "Content", "Retrieval",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        /// Personal data in free text (e-mail addresses, phone numbers, payment cards, IBANs,
        /// national identity numbers): recognisers with validation, used by redacted exports.
        .target(name: "Redaction"),
        /// Conversation store on SQLite (GRDB): schema, group commit, export, retention.
        .target(
            name: "Store",
            dependencies: [
                "SupportCore", "Redaction",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Conversation store on PostgreSQL (postgres-nio) for several nodes: migrations under an
        /// advisory lock, group commit, per-conversation `seq` under row locks, LISTEN/NOTIFY
        /// change feed, reconnection.
        .target(
            name: "PostgresStore",
            dependencies: [
                "SupportCore", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The routing pipeline: customer message in, answer out (a `ChatResponder`).
        .target(
            name: "Assistant",
            dependencies: [
                "SupportCore", "Content", "Encoder", "Classifier", "Retrieval", "Generation",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Offline reports over stored conversations: routes, feedback, clustered unanswered questions.
        .target(
            name: "Reports",
            dependencies: [
                "SupportCore", "Content", "Encoder", "Classifier", "Retrieval", "Store",
            ]
        ),
        /// Scripted conversations and answer-quality evaluation against the real assistant.
        .target(
            name: "AssistantEvaluation",
            dependencies: ["SupportCore", "Content", "Assistant"]
        ),
        /// The conversation use case, independent of any transport: sessions, persistence,
        /// handoff, agents, live events.
        .target(
            name: "Conversations",
            dependencies: [
                "SupportCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// TLS line-protocol server on SwiftNIO: bytes to requests, responses and events to bytes.
        .target(
            name: "Server",
            dependencies: [
                "SupportCore", "Conversations",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        /// The web channel on Hummingbird: `/ws` (the line protocol's session over WebSocket), the
        /// embeddable widget, the agent inbox and the analytics page, over HTTPS.
        .target(
            name: "WebChannel",
            dependencies: [
                "SupportCore", "Conversations", "Server",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Assets")]
        ),
        /// The composition root: one configuration value → store, assistant, conversation
        /// service, server, watchers and metrics as one service group; "folders → assistant".
        .target(
            name: "Application",
            dependencies: [
                "Content", "Encoder", "Classifier", "Retrieval", "Generation", "Store", "PostgresStore",
                "Assistant", "Reports", "Conversations", "Server", "WebChannel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The command-line tool; thin: parses arguments and calls the libraries.
        .executableTarget(
            name: "supportbot",
            dependencies: [
                "SupportCore", "Content", "Encoder", "Classifier", "Retrieval", "Generation", "Store",
                "Assistant", "Reports", "AssistantEvaluation", "Conversations", "Server", "WebChannel", "Application",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),

        /// Fuzz entry points: each feeds any bytes to one of our parsers (line protocol, content
        /// files, redactor, safetensors); replayed by `FuzzTargetsTests`, fuzzed by `make fuzz`.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "SupportCore", "Content", "Encoder", "Redaction", "Server",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),

        // MARK: Tests

        /// Plain test helpers every test target may use: the temporary folder, `eventually`, the
        /// repository root, the echo responder.
        .target(name: "TestSupport", dependencies: ["SupportCore"], path: "Tests/TestSupport"),
        /// Helpers for tests that run the real server: runtime certificates, the harness, raw
        /// clients, the echo responder.
        .target(
            name: "ServerTestSupport",
            dependencies: [
                "SupportCore", "Conversations", "Server", "WebChannel",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/ServerTestSupport"
        ),
        .testTarget(name: "SupportCoreTests", dependencies: ["SupportCore"]),
        .testTarget(
            name: "ContentTests", dependencies: ["Content", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "EncoderTests", dependencies: ["Encoder", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ClassifierTests", dependencies: ["Classifier", "Content", "Encoder", "TestSupport"]),
        .testTarget(
            name: "RetrievalTests",
            dependencies: ["Retrieval", "Content", "Encoder", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "GenerationTests",
            dependencies: [
                "Generation", "Retrieval", "Content", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Helper process for the store's SIGKILL crash test and permission test.
        .executableTarget(
            name: "store-crash-writer",
            dependencies: ["Store", "SupportCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/StoreCrashWriter"
        ),
        /// The throwaway PostgreSQL cluster of `make test`: a fresh database per test.
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "Store", "PostgresStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PostgresTestSupport"
        ),
        .testTarget(name: "RedactionTests", dependencies: ["Redaction"], exclude: ["Corpus"]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "PostgresStore", "PostgresTestSupport", "SupportCore", "store-crash-writer", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AssistantTests",
            dependencies: [
                "Assistant", "Classifier", "Content", "Retrieval", "SupportCore", "Store", "Server", "Application",
                "TestSupport", "ServerTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Store", "SupportCore", "Classifier", "Content", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AssistantEvaluationTests",
            dependencies: [
                "AssistantEvaluation", "Content", "SupportCore", "TestSupport",
            ]
        ),
        .testTarget(
            name: "ConversationsTests",
            dependencies: [
                "Conversations", "SupportCore", "Store", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WebChannelTests",
            dependencies: [
                "WebChannel", "Server", "SupportCore", "Store", "TestSupport", "ServerTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Conversations", "SupportCore", "Store", "TestSupport", "ServerTestSupport", "PostgresStore",
                "PostgresTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        /// Replays every seed of `Fuzz/Corpus/<target>/` (crash reproducers included) through its
        /// fuzz target, so `make test` re-runs every input that ever broke a parser.
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
    ]
)

// MARK: Fuzzing

// libFuzzer executables, one per `FuzzTarget` (Sources/FuzzTargets), exist only when
// SUPPORTBOT_FUZZ=1 is set while SwiftPM reads this manifest: `scripts/fuzz` sets it and builds
// them in .build/fuzz with `-sanitize=fuzzer,address`, so ordinary builds never see them.
// `Fuzz/<Name>/` holds the executable's `LLVMFuzzerTestOneInput`; the C target `FuzzMain`
// defines each executable's `Fuzz<Name>_main`, which SwiftPM links as `main`, to start
// libFuzzer's driver. Seeds live in `Fuzz/Corpus/<Name>/`.
if Context.environment["SUPPORTBOT_FUZZ"] == "1" {
    let fuzzTargetNames = [
        "JSONLine", "TextMode", "Intents", "FAQYAML", "FAQMarkdown", "FAQJSON", "FAQCSV", "ConversationScript",
        "Redactor", "SafeTensors",
    ]
    package.targets.append(.target(name: "FuzzMain", path: "Fuzz/Main"))
    package.targets += fuzzTargetNames.map { name in
        .executableTarget(name: "Fuzz\(name)", dependencies: ["FuzzTargets", "FuzzMain"], path: "Fuzz/\(name)")
    }
}

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
