import Content
import Encoder
import Foundation
import Logging
import Retrieval

/// `reload`: `KnowledgeBase.reload()` over synthetic folders (100 entries per JSON file): a full
/// load, an incremental reload after one entry of one file changed, and — with `run()` watching —
/// the time from starting a one-file write until a search returns the new entry.
struct ReloadBench {
    let arguments: BenchArguments

    func run() async throws {
        let repository = URL(fileURLWithPath: arguments.string("repository") ?? FileManager.default.currentDirectoryPath)
        let work = URL(fileURLWithPath: try arguments.required("work"))
        let vocabulary = SyntheticCorpus.vocabulary(repository: repository)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let real = arguments.url("encoder").flatMap { EncoderLocator.load(directory: $0, logger: logger) }
        let sizes = arguments.ints("sizes", default: [1_000, 10_000, 100_000])
        let hybridSizes = Set(arguments.ints("hybrid-sizes", default: sizes))
        let visibleSizes = Set(arguments.ints("visible-sizes", default: [10_000]))
        let standInAbove = arguments.int("stand-in-above", default: 10_000)
        let repeats = arguments.int("repeats", default: 5)

        print("# Reload and change-visible latency\n")
        print("KnowledgeBase over synthetic folders of JSON files with 100 entries each; incremental = one entry of one file")
        print("changed; visible = from starting the write (temp file + rename) until a search returns the new entry, with")
        print("run() watching (inotify, debounce \(RetrievalConfiguration().debounce)). Hybrid reloads read embeddings from the")
        print("on-disk cache (`--cache`) for unchanged texts; above \(standInAbove) entries they use stand-in vectors.\n")
        print("| entries | mode | full reload s | incremental ms (median of \(repeats)) | visible p50 ms | visible max ms |")
        print("| --- | --- | --- | --- | --- | --- |")
        for size in sizes {
            let corpus = SyntheticCorpus(size: size, vocabulary: vocabulary, queryCount: 1)
            let folder = work.appendingPathComponent("faqs-\(size)")
            try? FileManager.default.removeItem(at: folder)
            try corpus.write(to: folder)
            var modes: [(String, (any TextEmbedder)?)] = [("lexical", nil)]
            if let real, hybridSizes.contains(size) {
                let embedder: any TextEmbedder =
                    size > standInAbove
                    ? StandInEmbedder(
                        real: real, poolTexts: Array(corpus.entries.prefix(500).flatMap { [$0.question, $0.answer] }))
                    : real
                modes.append(("hybrid", embedder))
            }
            for (mode, embedder) in modes {
                var configuration = RetrievalConfiguration()
                configuration.cacheDirectory = embedder is StandInEmbedder ? nil : arguments.url("cache")
                let base = KnowledgeBase(directory: folder, embedder: embedder, configuration: configuration, logger: logger)
                let full = await base.reload()
                guard full.entries == size, full.errors.isEmpty else {
                    throw BenchError("loaded \(full.entries) of \(size) entries, errors: \(full.errors.prefix(3))")
                }
                var incremental: [Double] = []
                for attempt in 0..<repeats {
                    try Self.change(corpus, in: folder, marker: "inc\(mode)\(attempt)")
                    incremental.append(Statistics.milliseconds(await base.reload().duration))
                }
                var visible: [Double] = []
                if visibleSizes.contains(size) {
                    visible = try await Self.visibleLatencies(
                        base, corpus: corpus, folder: folder, mode: mode, repeats: max(repeats, 10))
                }
                print(
                    String(
                        format: "| %d | %@ | %.2f | %.1f | %@ | %@ |", size, mode, Statistics.milliseconds(full.duration) / 1000,
                        Statistics.percentile(incremental, 50),
                        visible.isEmpty ? "" : String(format: "%.0f", Statistics.percentile(visible, 50)),
                        visible.isEmpty ? "" : String(format: "%.0f", visible.max() ?? 0)))
            }
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Rewrites the first file with its first question ending in `marker`; atomic (temp + rename).
    static func change(_ corpus: SyntheticCorpus, in folder: URL, marker: String) throws {
        let file = corpus.entries[0].file
        var items = corpus.entries.filter { $0.file == file }.map {
            SyntheticCorpus.FileItem(question: $0.question, answer: $0.answer, alternates: $0.alternates)
        }
        items[0].question = "Where is the \(marker) parcel?"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = folder.appendingPathComponent(file)
        let temporary = url.appendingPathExtension("tmp")
        try encoder.encode(items).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw BenchError("cannot rename \(temporary.path)") }
    }

    static func visibleLatencies(
        _ base: KnowledgeBase, corpus: SyntheticCorpus, folder: URL, mode: String, repeats: Int
    ) async throws -> [Double] {
        let watching = Task { try await base.run() }
        defer { watching.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        var latencies: [Double] = []
        for attempt in 0..<repeats {
            let marker = "vis\(mode)\(attempt)z"
            let start = ContinuousClock.now
            try change(corpus, in: folder, marker: marker)
            let deadline = start + .seconds(30)
            while ContinuousClock.now < deadline {
                if base.current.search(marker, limit: 1).hits.first?.entry.question.contains(marker) == true { break }
                try await Task.sleep(for: .milliseconds(2))
            }
            latencies.append(Statistics.milliseconds(ContinuousClock.now - start))
            try await Task.sleep(for: .milliseconds(300))
        }
        return latencies
    }
}
