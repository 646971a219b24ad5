import Foundation

/// Every knob of FAQ retrieval and the live folder, with defaults measured on the sample domain
/// (`bench/faq-eval/run`) and the synthetic scale tests (`bench/retrieval/run`). Only the CLI reads
/// flags or files; libraries receive this value.
public struct RetrievalConfiguration: Sendable {
    /// How lexical and dense rankings are combined.
    public enum Fusion: Sendable, Hashable {
        /// Weighted reciprocal-rank fusion: Σ wᵢ / (k + rankᵢ).
        case reciprocalRank(k: Double)
        /// Convex combination of normalised scores: w·dense + (1 − w)·lexical, with BM25 divided by
        /// the query's best BM25 score and cosines rescaled to [0, 1] over the candidates.
        case weightedSum
    }

    /// Boosts of the three BM25 fields; each field is scored on its own (Lucene's per-field
    /// statistics) and the boosted scores are added. Equal boosts won on the sample queries'
    /// tuning half against question-heavy ones (2/1.5/1, 3/2/1, …; see bench/faq-eval).
    public struct FieldBoosts: Sendable, Hashable {
        /// Default 1.0.
        public var question: Double
        /// Default 1.0.
        public var alternates: Double
        /// Default 1.0.
        public var answer: Double

        public init(question: Double = 1.0, alternates: Double = 1.0, answer: Double = 1.0) {
            self.question = question
            self.alternates = alternates
            self.answer = answer
        }
    }

    // MARK: Lexical

    /// BM25 term-frequency saturation. Default 1.2 (Lucene).
    public var bm25K1: Double = 1.2
    /// BM25 length normalisation. Default 0.75 (Lucene).
    public var bm25B: Double = 0.75
    /// Default `FieldBoosts()`: 1.0 each.
    public var fieldBoosts = FieldBoosts()
    /// Words ignored by the analyzer. Default `EnglishStopwords.standard`.
    public var stopwords: Set<String> = EnglishStopwords.standard

    // MARK: Dense and fusion

    /// Default `.weightedSum`, which beat weighted RRF (k = 60) on the held-out half of the sample
    /// queries (MRR@10 0.793 against 0.771, each at its best tuning-half weight; bench/faq-eval).
    public var fusion: Fusion = .weightedSum
    /// Share of the dense retriever in the fusion, in [0, 1]. Default 0.9 (dense-heavy; best of
    /// 0.5–0.95 on the tuning half).
    public var denseWeight: Double = 0.9
    /// Share of the answer's embedding in an entry's dense score (the rest is its question and
    /// alternates). Default 0.3 (best of 0–0.5 on the tuning half).
    public var answerVectorWeight: Double = 0.3
    /// How many of each retriever's best entries are fused. Default 100.
    public var candidateCount: Int = 100
    /// Multiplier added to the fused score of entries tagged with the classifier's intent
    /// (`tagHint`): a nudge, never a filter. Default 0.1 (+10 %).
    public var tagBoost: Double = 0.1
    /// Weight of the previous user turn relative to the query, for follow-ups. Default 0.5.
    public var previousTurnWeight: Double = 0.5

    // MARK: Reranking

    /// Second-stage scoring of the fusion's best candidates; nil keeps the fusion order.
    /// Default `.standard` (fitted by `bench/faq-eval/run`). Needs an embedder.
    public var reranker: RerankModel? = .standard
    /// How many of the fusion's best candidates the reranker reorders. Default 20.
    public var rerankDepth: Int = 20

    // MARK: Confidence

    /// Maps the top hit's evidence to a probability of being right. Default `.standard`.
    public var confidenceModel: ConfidenceModel = .standard
    /// Below this confidence the search reports "no good match" and the router falls back.
    /// Default 0.5: the calibrated model says the top entry is more likely right than wrong.
    public var confidenceThreshold: Double = 0.5

    // MARK: Live folder

    /// Quiet time after the last change before a reload. Default 200 ms.
    public var debounce: Duration = .milliseconds(200)
    /// Scan interval when inotify is unavailable (or `forcePolling`). Default 500 ms.
    public var pollInterval: Duration = .milliseconds(500)
    /// Use polling even where inotify works. Default false.
    public var forcePolling = false
    /// A file still open for writing is not indexed until it is closed or has been quiet this long.
    /// Default 30 s.
    public var writeTimeout: Duration = .seconds(30)
    /// Files larger than this are refused (their last good version keeps serving). Default 5 MiB.
    public var maxFileSize: Int = 5 * 1024 * 1024
    /// Entries indexed between two publications of the index while a large file loads: a file
    /// with more entries than this becomes visible in steps of this many (logging
    /// `faq.indexing` progress), and changes to other files are picked up between steps, so
    /// they are not held up behind it. Default 100 (about a second of embedding here).
    public var indexingStep: Int = 100
    /// Where embeddings are cached across runs; nil keeps them in memory only. Default nil.
    public var cacheDirectory: URL?

    /// Creates a configuration with every documented default.
    public init() {}
}
