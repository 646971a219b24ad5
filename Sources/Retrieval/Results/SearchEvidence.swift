import Foundation

/// What a search knows about how well its top hit fits: the inputs of `ConfidenceModel`.
public struct SearchEvidence: Sendable, Hashable {
    /// Cosine of the query with the top hit's dense score (nil without an embedder).
    public var topCosine: Double?
    /// Top hit's dense score minus the best other entry's.
    public var cosineMargin: Double
    /// Share of the query's idf mass that occurs in the top hit, in [0, 1]; query words the index
    /// has never seen count as rare, absent terms.
    public var coverage: Double
    /// (best BM25 − second BM25) / best BM25 among the candidates, in [0, 1].
    public var lexicalMargin: Double
    /// The top hit's BM25 score.
    public var topLexical: Double
    /// Cosine of the query with the top hit's nearest phrasing (nil without an embedder).
    public var nearestPhrasingCosine: Double?
    /// Cosine of the query with the top hit's nearest answer sentence (nil without an embedder).
    public var answerSentenceCosine: Double?
    /// The reranker's probability that the top hit is the entry among its candidates (nil when
    /// the reranker did not run).
    public var rerankProbability: Double?

    public init(
        topCosine: Double?, cosineMargin: Double, coverage: Double, lexicalMargin: Double, topLexical: Double,
        nearestPhrasingCosine: Double? = nil, answerSentenceCosine: Double? = nil, rerankProbability: Double? = nil
    ) {
        self.topCosine = topCosine
        self.cosineMargin = cosineMargin
        self.coverage = coverage
        self.lexicalMargin = lexicalMargin
        self.topLexical = topLexical
        self.nearestPhrasingCosine = nearestPhrasingCosine
        self.answerSentenceCosine = answerSentenceCosine
        self.rerankProbability = rerankProbability
    }

    /// The feature vector of the matching coefficients. A missing phrasing or sentence cosine
    /// stands in as the top cosine; a missing reranker probability as 0.5 (undecided).
    public var features: [Double] {
        if let topCosine {
            return [
                topCosine, cosineMargin, coverage, lexicalMargin, nearestPhrasingCosine ?? topCosine,
                answerSentenceCosine ?? topCosine, rerankProbability ?? 0.5,
            ]
        }
        return [coverage, lexicalMargin, log(1 + max(0, topLexical))]
    }
}
