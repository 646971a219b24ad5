import Content

/// What the reranker knows about one candidate entry for one query. Every feature is on a scale
/// that does not depend on the size of the knowledge base, so weights fitted on the sample domain
/// carry over to other folders.
public struct RerankFeatures: Sendable, Hashable {
    /// The first stage's fused score divided by the best candidate's, in [0, 1].
    public var firstStage: Double
    /// Cosine of the query with the centre of the entry's phrasings.
    public var centroidCosine: Double
    /// Cosine of the query with the entry's nearest phrasing (question or alternate).
    public var nearestPhrasingCosine: Double
    /// Mean cosine of the query with the entry's two nearest phrasings.
    public var nearestTwoPhrasingsCosine: Double
    /// Cosine of the query with the entry's answer.
    public var answerCosine: Double
    /// Cosine of the query with the answer's nearest sentence.
    public var answerSentenceCosine: Double
    /// BM25 of the question field, over the best candidate's total BM25.
    public var questionBM25: Double
    /// BM25 of the alternates field, over the best candidate's total BM25.
    public var alternatesBM25: Double
    /// BM25 of the answer field, over the best candidate's total BM25.
    public var answerBM25: Double
    /// Share of the query's idf mass that occurs anywhere in the entry, in [0, 1].
    public var queryCoverage: Double
    /// Share of the entry question's idf mass that occurs in the query, in [0, 1]: whether the
    /// customer mentioned what the entry is about.
    public var questionCoverage: Double

    public init(
        firstStage: Double, centroidCosine: Double, nearestPhrasingCosine: Double, nearestTwoPhrasingsCosine: Double,
        answerCosine: Double, answerSentenceCosine: Double, questionBM25: Double, alternatesBM25: Double, answerBM25: Double,
        queryCoverage: Double,
        questionCoverage: Double
    ) {
        self.firstStage = firstStage
        self.centroidCosine = centroidCosine
        self.nearestPhrasingCosine = nearestPhrasingCosine
        self.nearestTwoPhrasingsCosine = nearestTwoPhrasingsCosine
        self.answerCosine = answerCosine
        self.answerSentenceCosine = answerSentenceCosine
        self.questionBM25 = questionBM25
        self.alternatesBM25 = alternatesBM25
        self.answerBM25 = answerBM25
        self.queryCoverage = queryCoverage
        self.questionCoverage = questionCoverage
    }

    /// The names of `vector`'s components, in order (for fitting scripts and reports).
    public static let names = [
        "firstStage", "centroidCosine", "nearestPhrasingCosine", "nearestTwoPhrasingsCosine", "answerCosine",
        "answerSentenceCosine", "questionBM25", "alternatesBM25", "answerBM25", "queryCoverage", "questionCoverage",
    ]

    /// The features in `names` order.
    public var vector: [Double] {
        [
            firstStage, centroidCosine, nearestPhrasingCosine, nearestTwoPhrasingsCosine, answerCosine,
            answerSentenceCosine, questionBM25, alternatesBM25, answerBM25, queryCoverage, questionCoverage,
        ]
    }
}

/// One first-stage candidate with its reranking features (for fitting and debugging).
public struct RerankCandidate: Sendable, Hashable {
    public var entry: FAQEntry
    /// 0-based rank after fusion, before reranking.
    public var firstStageRank: Int
    public var features: RerankFeatures

    public init(entry: FAQEntry, firstStageRank: Int, features: RerankFeatures) {
        self.entry = entry
        self.firstStageRank = firstStageRank
        self.features = features
    }
}
