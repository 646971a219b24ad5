import Retrieval

/// The stemmed content words of a text (the retrieval analyzer's terms), for sentence-level
/// overlap scoring in the composer.
struct TermSet: Sendable {
    let terms: Set<String>

    init(_ text: String, analyzer: EnglishAnalyzer) {
        terms = Set(analyzer.terms(text))
    }

    init(terms: Set<String>) {
        self.terms = terms
    }

    var isEmpty: Bool { terms.isEmpty }

    /// Jaccard similarity: how much two units say the same thing.
    func similarity(with other: TermSet) -> Double {
        let shared = terms.intersection(other.terms).count
        let union = terms.count + other.terms.count - shared
        return union == 0 ? 0 : Double(shared) / Double(union)
    }
}
