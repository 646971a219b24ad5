import Content
import Encoder
import SupportCore

/// An immutable, searchable snapshot of the knowledge base: BM25 over question, alternates and
/// answer, exact dense search over their embeddings, fusion and a calibrated confidence. Safe to
/// query from any number of tasks at once; `KnowledgeBase` builds a new one on every change and
/// swaps it in whole, so a query never sees a half-built index.
public final class FAQIndex: Sendable {
    /// The indexed entries, in the order they were given.
    public let entries: [FAQEntry]
    let lexical: LexicalIndex
    /// Nil without an embedder (lexical-only search).
    let dense: DenseIndex?
    /// Each entry's centroid, answer and phrasing vectors for the reranker; nil without an embedder.
    let entryVectors: EntryVectors?
    /// Each entry's question terms, for the reranker's question coverage.
    let questionTerms: [FieldTerms]
    /// `EnglishAnalyzer.exactKey` of every question and alternate → first entry with it.
    let exactMatches: [String: Int]
    let embedder: (any TextEmbedder)?
    let analyzer: EnglishAnalyzer
    /// Every lower-cased word of the entries (questions, alternates, answers) and how often it
    /// occurs, as written (not stemmed): for spelling correction.
    public let wordCounts: [String: Int]
    let configuration: RetrievalConfiguration

    /// Builds an index of `entries`. With an embedder, every question, alternate and answer is
    /// embedded (through `embeddingCache` when given); without one, search is BM25 only.
    public convenience init(
        entries: [FAQEntry], embedder: (any TextEmbedder)?, embeddingCache: EmbeddingCache?,
        configuration: RetrievalConfiguration
    ) {
        let preparer = EntryPreparer(configuration: configuration, embedder: embedder, cache: embeddingCache)
        var vocabulary = TermVocabulary()
        let prepared = preparer.prepare(entries, vocabulary: &vocabulary)
        self.init(prepared: prepared, vocabulary: vocabulary, embedder: embedder, configuration: configuration)
    }

    /// Builds an index from entries already analyzed (with term ids from `vocabulary`) and embedded.
    init(
        prepared: [PreparedEntry], vocabulary: TermVocabulary, embedder: (any TextEmbedder)?, configuration: RetrievalConfiguration
    ) {
        self.entries = prepared.map(\.entry)
        self.configuration = configuration
        self.embedder = embedder
        self.analyzer = EnglishAnalyzer(stopwords: configuration.stopwords)
        let fields = LexicalIndex.Field.allCases.map { field in prepared.map { $0.fields[field.rawValue] } }
        self.lexical = LexicalIndex(
            fields: fields, vocabulary: vocabulary, boosts: configuration.fieldBoosts, k1: configuration.bm25K1,
            b: configuration.bm25B)
        if let embedder, prepared.allSatisfy({ $0.vector != nil }) {
            self.dense = DenseIndex(dimension: embedder.dimension, rows: prepared.map { $0.vector ?? [] })
            self.entryVectors = EntryVectors(dimension: embedder.dimension, entries: prepared)
        } else {
            self.dense = nil
            self.entryVectors = nil
        }
        self.questionTerms = prepared.map { $0.fields[LexicalIndex.Field.question.rawValue] }
        var exactMatches: [String: Int] = [:]
        for (index, entry) in prepared.enumerated() {
            for key in entry.exactKeys where exactMatches[key] == nil { exactMatches[key] = index }
        }
        self.exactMatches = exactMatches
        var counts: [String: Int] = [:]
        for entry in entries {
            for text in [entry.question, entry.answer] + entry.alternates {
                for word in WordSplitter.words(text, apostrophes: .keepInside) { counts[word, default: 0] += 1 }
            }
        }
        self.wordCounts = counts
    }

    /// An index with no entries: every search reports no match.
    public static func empty(configuration: RetrievalConfiguration = .init()) -> FAQIndex {
        FAQIndex(prepared: [], vocabulary: TermVocabulary(), embedder: nil, configuration: configuration)
    }

    /// Whether any entry uses `word` (after stemming), in its question, alternates or answer.
    public func mentions(_ word: String) -> Bool {
        analyzer.terms(word).contains { lexical.termIDs[$0] != nil }
    }

    /// Number of entries.
    public var count: Int { entries.count }

    /// Whether searches use dense vectors as well as BM25.
    public var isHybrid: Bool { dense != nil }

    /// `TextEmbedder.identity` of the encoder the dense vectors come from (nil when lexical-only),
    /// so a caller supplying query embeddings can check they are of the same model.
    public var encoderIdentity: String? { dense == nil ? nil : embedder?.identity }

    /// Searches for `query`, embedding it (and `previousTurn`) when the index has an embedder.
    /// `previousTurn` is the conversation's previous user message, for follow-ups such as "and
    /// how long does that take?"; `tagHint` is the intent the classifier chose, a mild boost for
    /// entries tagged with it, never a filter.
    public func search(_ query: String, previousTurn: String? = nil, tagHint: String? = nil, limit: Int = 5) -> SearchResult {
        var queryEmbedding: [Float]?
        var previousEmbedding: [Float]?
        if let embedder, dense != nil {
            let context = previousTurn.flatMap { $0.isEmpty ? nil : $0 }
            let vectors = embedder.embed(context.map { [query, $0] } ?? [query])
            queryEmbedding = vectors.first
            previousEmbedding = context == nil ? nil : vectors.last
        }
        return search(
            query, queryEmbedding: queryEmbedding, previousTurn: previousTurn, previousTurnEmbedding: previousEmbedding,
            tagHint: tagHint, limit: limit)
    }

    /// Searches with a caller-supplied embedding of `query` (e.g. from a batch of concurrent
    /// requests). A nil embedding means lexical-only for this query. When `previousTurn` is given
    /// and the index has an embedder, the previous turn is embedded here.
    public func search(
        _ query: String, queryEmbedding: [Float]?, previousTurn: String?, tagHint: String?, limit: Int
    ) -> SearchResult {
        var previousEmbedding: [Float]?
        if let embedder, queryEmbedding != nil, let previousTurn, !previousTurn.isEmpty {
            previousEmbedding = embedder.embed([previousTurn]).first
        }
        return search(
            query, queryEmbedding: queryEmbedding, previousTurn: previousTurn, previousTurnEmbedding: previousEmbedding,
            tagHint: tagHint, limit: limit)
    }
}
