import Content
import Encoder

/// Analyzes and embeds entries for the index. Texts are embedded in one batch per call, through
/// the cache when there is one.
struct EntryPreparer: Sendable {
    let analyzer: EnglishAnalyzer
    let embedder: (any TextEmbedder)?
    let cache: EmbeddingCache?
    let answerWeight: Float

    init(configuration: RetrievalConfiguration, embedder: (any TextEmbedder)?, cache: EmbeddingCache?) {
        self.analyzer = EnglishAnalyzer(stopwords: configuration.stopwords)
        self.embedder = embedder
        self.cache = cache
        self.answerWeight = Float(min(max(configuration.answerVectorWeight, 0), 1))
    }

    func prepare(_ entries: [FAQEntry], vocabulary: inout TermVocabulary) -> [PreparedEntry] {
        var stems: [String: String] = [:]
        func field(_ texts: [String]) -> FieldTerms {
            FieldTerms(texts.flatMap { analyzer.terms($0, stemCache: &stems) }.map { vocabulary.id(for: $0) })
        }
        var prepared = entries.map { entry in
            PreparedEntry(
                entry: entry, fields: [field([entry.question]), field(entry.alternates), field([entry.answer])],
                exactKeys: ([entry.question] + entry.alternates).map(EnglishAnalyzer.exactKey).filter { !$0.isEmpty })
        }
        guard let embedder, !entries.isEmpty else { return prepared }
        var texts: [String] = []
        let sentences = entries.map { AnswerSentences.split($0.answer) }
        for (entry, sentences) in zip(entries, sentences) {
            texts.append(entry.question)
            texts += entry.alternates
            texts.append(entry.answer)
            texts += sentences
        }
        let vectors = cache?.embeddings(for: texts, using: embedder) ?? embedder.embed(texts)
        var next = 0
        for index in prepared.indices {
            let phrasings = 1 + entries[index].alternates.count
            guard next + phrasings + sentences[index].count < vectors.count else { break }
            let phrasingVectors = Array(vectors[next..<(next + phrasings)])
            let question = DenseIndex.centroid(phrasingVectors, dimension: embedder.dimension)
            prepared[index].vector = DenseIndex.combine(
                question: question, answer: vectors[next + phrasings], answerWeight: answerWeight, dimension: embedder.dimension)
            prepared[index].phrasingVectors = phrasingVectors
            prepared[index].answerVector = vectors[next + phrasings]
            prepared[index].centroid = question
            prepared[index].answerSentenceVectors = Array(
                vectors[(next + phrasings + 1)..<(next + phrasings + 1 + sentences[index].count)])
            next += phrasings + 1 + sentences[index].count
        }
        return prepared
    }
}
