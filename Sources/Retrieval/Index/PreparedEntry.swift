import Content

/// An entry with everything the index needs precomputed: term counts per field, exact-match keys
/// and its dense vector. Kept per file by `KnowledgeBase` so a reload re-analyzes and re-embeds
/// only the files that changed, and rebuilds the index from these without touching text.
struct PreparedEntry: Sendable {
    var entry: FAQEntry
    /// Question, alternates and answer, in `LexicalIndex.Field` order.
    var fields: [FieldTerms]
    /// `EnglishAnalyzer.exactKey` of the question and each alternate.
    var exactKeys: [String]
    /// (1 − w)·(normalised mean of the question's and alternates' embeddings) + w·(answer's
    /// embedding), w being `answerVectorWeight`; nil without an embedder.
    var vector: [Float]?
    /// The embedding of the question and of each alternate (unit vectors), for the reranker's
    /// nearest-phrasing similarity; empty without an embedder.
    var phrasingVectors: [[Float]] = []
    /// The embedding of the answer; nil without an embedder.
    var answerVector: [Float]?
    /// The centre of the phrasings (normalised mean); nil without an embedder.
    var centroid: [Float]?
    /// The embedding of each sentence of the answer (`AnswerSentences`); empty without an embedder.
    var answerSentenceVectors: [[Float]] = []
}
