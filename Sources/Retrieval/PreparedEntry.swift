import Content

/// An entry with everything the index needs precomputed: analyzed terms per field, exact-match
/// keys and dense vectors. Kept per file by `KnowledgeBase` so a reload re-analyzes and re-embeds
/// only the files that changed.
struct PreparedEntry: Sendable {
    var entry: FAQEntry
    /// Analyzed terms of the question, the alternates and the answer.
    var terms: [[String]]
    /// `EnglishAnalyzer.exactKey` of the question and each alternate.
    var exactKeys: [String]
    /// Normalised mean of the question's and alternates' embeddings; nil without an embedder.
    var questionVector: [Float]?
    var answerVector: [Float]?
}
