import Foundation
import Retrieval

/// Lexical question vectors for clustering without the encoder: the question's words
/// lower-cased, accent-folded, stop words dropped and Porter2-stemmed (`EnglishAnalyzer`, as
/// the FAQ retriever uses), as unigrams plus adjacent bigrams at half weight (so one inserted
/// word does not outweigh the words two paraphrases share); weighted by TF-IDF over the
/// questions being clustered (`idf = ln((1 + n) / (1 + df)) + 1`) and scaled to unit length. A
/// question made only of stop words ("where is it?") keeps its plain words instead.
struct LexicalVectorizer {
    private let analyzer = EnglishAnalyzer()
    /// Term-frequency weight of a bigram relative to a unigram.
    static let bigramWeight = 0.5

    /// One unit vector per text, in order.
    func vectors(_ texts: [String]) -> [LexicalVector] {
        var vocabulary: [String: Int] = [:]
        var documentFrequency: [Int] = []
        let counted: [[Int: Double]] = texts.map { text in
            var counts: [Int: Double] = [:]
            for (feature, weight) in features(text) {
                let id: Int
                if let known = vocabulary[feature] {
                    id = known
                } else {
                    id = vocabulary.count
                    vocabulary[feature] = id
                    documentFrequency.append(0)
                }
                counts[id, default: 0] += weight
            }
            for id in counts.keys { documentFrequency[id] += 1 }
            return counts
        }
        let documents = Double(texts.count)
        return counted.map { counts in
            let ids = counts.keys.sorted()
            var weights = ids.map { id in
                counts[id, default: 0] * (log((1 + documents) / (1 + Double(documentFrequency[id]))) + 1)
            }
            let norm = weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { weights = weights.map { $0 / norm } }
            return LexicalVector(features: ids, weights: weights)
        }
    }

    /// The unigram and bigram features of one text, with their term-frequency weights.
    func features(_ text: String) -> [(String, Double)] {
        var terms = analyzer.terms(text)
        if terms.isEmpty {
            terms = EnglishAnalyzer.exactKey(text).split(separator: " ").map(String.init)
        }
        var features = terms.map { ($0, 1.0) }
        if terms.count > 1 {
            for i in 1..<terms.count {
                features.append((terms[i - 1] + " " + terms[i], Self.bigramWeight))
            }
        }
        return features
    }
}
