/// The answer to one FAQ search: ranked hits plus one calibrated confidence, so the router can
/// answer from the top hit or fall back when nothing fits.
public struct SearchResult: Sendable, Hashable {
    /// Best first; at most the requested limit.
    public var hits: [FAQHit]
    /// Probability in [0, 1] that the top hit answers the query (`ConfidenceModel`); 1 for an
    /// exact match of a question or alternate, 0 when there are no hits.
    public var confidence: Double
    /// `confidence >= configuration.confidenceThreshold`; false means "no good match": the router
    /// should fall back instead of answering.
    public var isConfident: Bool
    /// The top hit matched a question or alternate exactly (case, accents and punctuation aside).
    public var isExactMatch: Bool
    /// The inputs of the confidence, for logs and calibration.
    public var evidence: SearchEvidence?

    public init(
        hits: [FAQHit], confidence: Double, isConfident: Bool, isExactMatch: Bool = false,
        evidence: SearchEvidence? = nil
    ) {
        self.hits = hits
        self.confidence = confidence
        self.isConfident = isConfident
        self.isExactMatch = isExactMatch
        self.evidence = evidence
    }

    /// No hits, no confidence.
    public static let empty = SearchResult(hits: [], confidence: 0, isConfident: false)
}
