import Content
import Encoder
import Foundation
import Logging
import Retrieval

/// `latency`: single-query latency (one query at a time, one thread) of lexical and hybrid search
/// over synthetic corpora of several sizes, and the time to build each index.
struct LatencyBench {
    let arguments: BenchArguments

    func run() async throws {
        let repository = URL(fileURLWithPath: arguments.string("repository") ?? FileManager.default.currentDirectoryPath)
        let vocabulary = SyntheticCorpus.vocabulary(repository: repository)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let embedder = arguments.url("encoder").flatMap { EncoderLocator.load(directory: $0, logger: logger) }
        let cache = EmbeddingCache(directory: arguments.url("cache"))
        let sizes = arguments.ints("sizes", default: [1_000, 10_000, 100_000])
        let hybridSizes = Set(arguments.ints("hybrid-sizes", default: sizes))
        let queryCount = arguments.int("query-count", default: 1000)
        let standInAbove = arguments.int("stand-in-above", default: 10_000)

        print("# Query latency (one query at a time, single thread)\n")
        print(
            "Synthetic entries (bench-retrieval synthetic), \(queryCount) queries per size, top 5; encoder: \(embedder?.identity ?? "none")."
        )
        print("`hybrid` times include embedding the query with MiniLM; `hybrid, given vector` excludes it.")
        print(
            "Above \(standInAbove) entries, entry vectors are stand-ins (real MiniLM vectors of 1,000 texts, reused with noise; see StandInEmbedder); query vectors are always real.\n"
        )
        print("| entries | search | build | p50 ms | p99 ms | mean ms |")
        print("| --- | --- | --- | --- | --- | --- |")
        for size in sizes {
            let corpus = SyntheticCorpus(size: size, vocabulary: vocabulary, queryCount: queryCount)
            let queries = corpus.queries.map(\.query)
            var configuration = RetrievalConfiguration()
            configuration.candidateCount = 100

            var started = ContinuousClock.now
            let lexical = FAQIndex(entries: corpus.entries, embedder: nil, embeddingCache: nil, configuration: configuration)
            let lexicalBuild = ContinuousClock.now - started
            let lexicalTimes = Self.measure(queries) { _ = lexical.search($0, limit: 5) }
            print(Self.row(size, "lexical (BM25)", build: lexicalBuild, lexicalTimes))

            guard let embedder, hybridSizes.contains(size) else { continue }
            let entryEmbedder: any TextEmbedder =
                size > standInAbove
                ? StandInEmbedder(
                    real: embedder, poolTexts: Array(corpus.entries.prefix(500).flatMap { [$0.question, $0.answer] }))
                : embedder
            started = ContinuousClock.now
            let hybrid = FAQIndex(
                entries: corpus.entries, embedder: entryEmbedder, embeddingCache: size > standInAbove ? nil : cache,
                configuration: configuration)
            let hybridBuild = ContinuousClock.now - started
            let vectors = embedder.embed(queries)
            var number = 0
            let givenTimes = Self.measure(queries) { query in
                _ = hybrid.search(query, queryEmbedding: vectors[number % vectors.count], previousTurn: nil, tagHint: nil, limit: 5)
                number += 1
            }
            print(Self.row(size, "hybrid, given vector", build: hybridBuild, givenTimes))
            let fullTimes = Self.measure(queries) { query in
                let vector = embedder.embed([query]).first
                _ = hybrid.search(query, queryEmbedding: vector, previousTurn: nil, tagHint: nil, limit: 5)
            }
            print(Self.row(size, "hybrid", build: hybridBuild, fullTimes))
            let encodeTimes = Self.measure(queries) { _ = embedder.embed([$0]) }
            print(Self.row(size, "(query embedding alone)", build: nil, encodeTimes))
        }
        print("\nBuild times of hybrid indexes use the embedding cache (`--cache`); a cold build embeds every text once.")
    }

    /// Milliseconds per call after 50 warm-up calls.
    static func measure(_ queries: [String], _ body: (String) -> Void) -> [Double] {
        for query in queries.prefix(50) { body(query) }
        return queries.map { query in
            let start = ContinuousClock.now
            body(query)
            return Statistics.milliseconds(ContinuousClock.now - start)
        }
    }

    static func row(_ size: Int, _ name: String, build: Duration?, _ times: [Double]) -> String {
        let buildText = build.map { String(format: "%.2f s", Statistics.milliseconds($0) / 1000) } ?? ""
        let mean = times.reduce(0, +) / Double(max(times.count, 1))
        return String(
            format: "| %d | %@ | %@ | %.3f | %.3f | %.3f |", size, name, buildText, Statistics.percentile(times, 50),
            Statistics.percentile(times, 99), mean)
    }
}
