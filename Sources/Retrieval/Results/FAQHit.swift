import Content

/// One entry found for a query, with the scores that ranked it (for answers, logs and debugging).
public struct FAQHit: Sendable, Hashable {
    public var entry: FAQEntry
    /// The score the hits are sorted by: the reranker's probability that this is the entry (in
    /// [0, 1], summing to 1 over its candidates) when it ran, otherwise the fused score.
    public var score: Double
    /// BM25 score; 0 when no query term occurs in the entry.
    public var lexicalScore: Double
    /// Dense similarity (cosine mix of question and answer); nil without an embedder.
    public var denseScore: Double?

    public init(entry: FAQEntry, score: Double, lexicalScore: Double, denseScore: Double?) {
        self.entry = entry
        self.score = score
        self.lexicalScore = lexicalScore
        self.denseScore = denseScore
    }
}
