import Content
import Encoder
import Foundation
import Logging
import Retrieval

/// `explain --faqs DIR --encoder DIR --query TEXT`: the fusion's best candidates for one query
/// with every reranker feature and the shipped model's score, to see why an entry won.
struct RerankExplain {
    let arguments: BenchArguments

    func run() throws {
        let load = FAQLoader(directory: URL(fileURLWithPath: try arguments.required("faqs"))).load()
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        guard let folder = arguments.url("encoder"), let embedder = EncoderLocator.load(directory: folder, logger: logger) else {
            throw BenchError("explain needs --encoder DIR")
        }
        let query = try arguments.required("query")
        let index = FAQIndex(
            entries: load.entries, embedder: embedder, embeddingCache: EmbeddingCache(directory: arguments.url("cache")),
            configuration: RetrievalConfiguration())
        let candidates = index.rerankCandidates(
            query, queryEmbedding: embedder.embed([query])[0], depth: arguments.int("depth", default: 5))
        print("| entry | score | " + RerankFeatures.names.joined(separator: " | ") + " |")
        for candidate in candidates {
            let values = candidate.features.vector.map { String(format: "%.3f", $0) }.joined(separator: " | ")
            print(
                "| \(candidate.entry.id) | \(String(format: "%.3f", RerankModel.standard.score(candidate.features))) | \(values) |")
        }
    }
}
