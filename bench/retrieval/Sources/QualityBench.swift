import Content
import Encoder
import Foundation
import Logging
import Retrieval

/// `eval`: MRR@10, P@1 and Recall@5 of BM25-only, dense-only and fused retrieval on a FAQ folder
/// and a JSONL of {query, relevant}; tunes on one half of the queries and reports the other.
/// With `--fit`, also refits the confidence model (see `ConfidenceBench`).
struct QualityBench {
    let arguments: BenchArguments

    struct Case {
        var query: String
        var relevant: Set<String>
        var heldOut: Bool
    }

    struct Outcome {
        var name: String
        var configuration: RetrievalConfiguration
        var dense: Bool
        var dev: Statistics.Quality
        var test: Statistics.Quality
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: try arguments.required("faqs"))
        let load = FAQLoader(directory: folder).load()
        for error in load.errors { print("warning: \(error)") }
        if let path = arguments.string("export") {
            try Self.export(load.entries, to: URL(fileURLWithPath: path))
        }
        let cases = try Self.loadCases(URL(fileURLWithPath: try arguments.required("queries")))
        let known = Set(load.entries.map(\.id))
        let unknown = cases.flatMap(\.relevant).filter { !known.contains($0) }
        if !unknown.isEmpty { print("warning: \(unknown.count) relevant ids not in the folder, e.g. \(unknown.prefix(3))") }

        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        // --precision fp32|bf16|auto (default auto, as serving); each precision keeps its own cache.
        let precision =
            try arguments.string("precision").map { name in
                guard let precision = EncoderPrecision(rawValue: name) else { throw BenchError("--precision: fp32, bf16 or auto") }
                return precision
            } ?? .auto
        let embedder = arguments.url("encoder").flatMap {
            EncoderLocator.load(directory: $0, configuration: EncoderConfiguration(precision: precision), logger: logger)
        }
        let cache = EmbeddingCache(
            directory: arguments.url("cache").map {
                $0.appendingPathComponent((embedder as? MiniLMEncoder)?.precision.rawValue ?? "none")
            })
        let vectors = embedder?.embed(cases.map(\.query)) ?? []
        let context = Context(entries: load.entries, cases: cases, embedder: embedder, cache: cache, queryVectors: vectors)

        print("# FAQ retrieval quality\n")
        print(
            "\(load.entries.count) entries in \(load.files.count) files; \(cases.count) queries "
                + "(\(cases.filter { !$0.heldOut }.count) tuning, \(cases.filter(\.heldOut).count) held out); "
                + "encoder: \(embedder?.identity ?? "none") (\((embedder as? MiniLMEncoder)?.precision.rawValue ?? "-"))\n")
        var outcomes: [Outcome] = []
        outcomes.append(
            context.evaluate("default configuration (shipped reranker)", RetrievalConfiguration(), dense: embedder != nil))

        // BM25 only: field boosts tuned on the tuning half.
        let boostGrid: [(Double, Double, Double)] = [
            (1, 1, 1), (2, 1.5, 1), (3, 2, 1), (2, 2, 1), (1, 1, 0.5), (2, 1.5, 0.5), (3, 3, 1),
        ]
        let lexical = boostGrid.map { boosts -> Outcome in
            var configuration = RetrievalConfiguration()
            configuration.reranker = nil
            configuration.fieldBoosts = .init(question: boosts.0, alternates: boosts.1, answer: boosts.2)
            return context.evaluate("BM25 only, boosts q\(boosts.0) alt\(boosts.1) ans\(boosts.2)", configuration, dense: false)
        }
        var luceneStopwords = Self.best(lexical).configuration
        luceneStopwords.stopwords = EnglishStopwords.lucene
        let lexicalStopwords = context.evaluate("BM25 only, best boosts, Lucene's 33 stopwords", luceneStopwords, dense: false)
        let bestLexical = Self.best(lexical)
        outcomes.append(bestLexical)
        guard embedder != nil else {
            Self.printTable(outcomes + lexical + [lexicalStopwords])
            return
        }
        // Dense only: share of the answer vector tuned.
        let dense = [0.0, 0.1, 0.2, 0.3, 0.5].map { weight -> Outcome in
            var configuration = bestLexical.configuration
            configuration.fusion = .weightedSum
            configuration.denseWeight = 1
            configuration.answerVectorWeight = weight
            return context.evaluate("dense only, answer weight \(weight)", configuration, dense: true)
        }
        let bestDense = Self.best(dense)
        outcomes.append(bestDense)
        // Fusion: both methods over dense-heavy weights, with the tuned boosts and answer weight.
        var fused: [Outcome] = []
        for weight in [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95] {
            for fusion in [RetrievalConfiguration.Fusion.weightedSum, .reciprocalRank(k: 60)] {
                var configuration = bestDense.configuration
                configuration.fusion = fusion
                configuration.denseWeight = weight
                let name = fusion == .weightedSum ? "weighted sum" : "weighted RRF k=60"
                fused.append(context.evaluate("\(name), dense weight \(weight)", configuration, dense: true))
            }
        }
        outcomes.append(Self.best(fused.filter { $0.configuration.fusion == .weightedSum }))
        outcomes.append(Self.best(fused.filter { $0.configuration.fusion != .weightedSum }))
        var shippedFusion = RetrievalConfiguration()
        shippedFusion.reranker = nil
        outcomes.append(context.evaluate("shipped fusion, no reranker", shippedFusion, dense: true))
        let refitted = try RerankBench(arguments: arguments, context: context).run()
        var reranked = RetrievalConfiguration()
        reranked.reranker = refitted
        outcomes.append(context.evaluate("shipped fusion + refitted reranker", reranked, dense: true))
        print()
        Self.printTable(outcomes)
        print("\n<details><summary>every variant</summary>\n")
        Self.printTable(lexical + [lexicalStopwords] + dense + fused)
        print("\n</details>")

        if arguments.flag("fit") || arguments.string("intents") != nil {
            try ConfidenceBench(arguments: arguments, context: context).run()
        }
    }

    static func best(_ outcomes: [Outcome]) -> Outcome {
        outcomes.max { ($0.dev.mrr, $0.dev.precisionAt1) < ($1.dev.mrr, $1.dev.precisionAt1) } ?? outcomes[0]
    }

    static func printTable(_ outcomes: [Outcome]) {
        print("| variant | tuning MRR@10 | P@1 | R@5 | held-out MRR@10 | P@1 | R@5 |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for outcome in outcomes {
            print("| \(outcome.name) | \(outcome.dev.row) | \(outcome.test.row) |")
        }
    }

    static func loadCases(_ url: URL) throws -> [Case] {
        struct Line: Decodable {
            var query: String
            var relevant: [String]
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { line in
            let decoded = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
            return Case(query: decoded.query, relevant: Set(decoded.relevant), heldOut: Statistics.isHeldOut(decoded.query))
        }
    }

    /// Writes the entries as JSONL for the Python peers (same parsing, same ids).
    static func export(_ entries: [FAQEntry], to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for entry in entries {
            data.append(try encoder.encode(entry))
            data.append(0x0A)
        }
        try data.write(to: url)
    }
}

/// The data shared by every variant of one evaluation run.
struct Context {
    let entries: [FAQEntry]
    let cases: [QualityBench.Case]
    let embedder: (any TextEmbedder)?
    let cache: EmbeddingCache
    let queryVectors: [[Float]]

    func index(_ configuration: RetrievalConfiguration, dense: Bool) -> FAQIndex {
        FAQIndex(entries: entries, embedder: dense ? embedder : nil, embeddingCache: cache, configuration: configuration)
    }

    func evaluate(_ name: String, _ configuration: RetrievalConfiguration, dense: Bool) -> QualityBench.Outcome {
        let index = index(configuration, dense: dense)
        let rankings = cases.enumerated().map { number, testCase in
            index.search(
                testCase.query, queryEmbedding: dense ? queryVectors[number] : nil, previousTurn: nil,
                previousTurnEmbedding: nil, tagHint: nil, limit: 10
            ).hits.map(\.entry.id)
        }
        func quality(heldOut: Bool) -> Statistics.Quality {
            let chosen = cases.indices.filter { cases[$0].heldOut == heldOut }
            return Statistics.quality(rankings: chosen.map { rankings[$0] }, relevant: chosen.map { cases[$0].relevant })
        }
        return .init(
            name: name, configuration: configuration, dense: dense, dev: quality(heldOut: false), test: quality(heldOut: true))
    }
}
