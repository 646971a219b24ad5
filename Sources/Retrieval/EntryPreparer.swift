import Content
import Encoder

/// Analyzes and embeds entries for the index. Texts are embedded in one batch per call, through
/// the cache when there is one.
struct EntryPreparer: Sendable {
    let analyzer: EnglishAnalyzer
    let embedder: (any TextEmbedder)?
    let cache: EmbeddingCache?

    init(configuration: RetrievalConfiguration, embedder: (any TextEmbedder)?, cache: EmbeddingCache?) {
        self.analyzer = EnglishAnalyzer(stopwords: configuration.stopwords)
        self.embedder = embedder
        self.cache = cache
    }

    func prepare(_ entries: [FAQEntry]) -> [PreparedEntry] {
        var stems: [String: String] = [:]
        var prepared = entries.map { entry in
            PreparedEntry(
                entry: entry,
                terms: [
                    analyzer.terms(entry.question, stemCache: &stems),
                    entry.alternates.flatMap { analyzer.terms($0, stemCache: &stems) },
                    analyzer.terms(entry.answer, stemCache: &stems),
                ],
                exactKeys: ([entry.question] + entry.alternates).map(EnglishAnalyzer.exactKey).filter { !$0.isEmpty })
        }
        guard let embedder, !entries.isEmpty else { return prepared }
        var texts: [String] = []
        for entry in entries {
            texts.append(entry.question)
            texts += entry.alternates
            texts.append(entry.answer)
        }
        let vectors = cache?.embeddings(for: texts, using: embedder) ?? embedder.embed(texts)
        var next = 0
        for index in prepared.indices {
            let phrasings = 1 + entries[index].alternates.count
            guard next + phrasings < vectors.count else { break }
            prepared[index].questionVector = DenseIndex.centroid(
                Array(vectors[next..<(next + phrasings)]), dimension: embedder.dimension)
            prepared[index].answerVector = vectors[next + phrasings]
            next += phrasings + 1
        }
        return prepared
    }
}
