import Foundation

/// BM25 over the question, alternates and answer of every entry, each a separate field with its
/// own statistics, scored with Lucene's formula:
///
///     idf(t)   = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5))
///     score(d) = Σ_fields boost_f · Σ_t w_t · idf_f(t) · tf / (tf + k1 · (1 − b + b · dl / avgdl_f))
///
/// where, as in Lucene, N is the number of entries with a non-empty field, n(t) the number of
/// them containing t, dl the field's term count and avgdl its mean. Lengths are exact (Lucene
/// rounds them into one byte), and w_t is the query term's weight (1, or less for terms that
/// come only from the previous turn). Immutable once built.
struct LexicalIndex: Sendable {
    /// The three indexed fields, in a fixed order.
    enum Field: Int, CaseIterable, Sendable {
        case question, alternates, answer
    }

    /// Postings and statistics of one field.
    struct FieldIndex: Sendable {
        /// `postingStart[t] ..< postingStart[t + 1]` are term t's postings.
        var postingStart: [Int32]
        var postingDocument: [Int32]
        var postingFrequency: [Float]
        /// k1 · (1 − b + b · dl / avgdl) per entry.
        var lengthNorm: [Double]
        /// idf per term id (0 for terms absent from the field).
        var idf: [Double]
        /// Entries whose field is not empty (N).
        var documentCount: Int
        var averageLength: Double
    }

    let termIDs: [String: Int32]
    let fields: [FieldIndex]
    let boosts: [Double]
    let documentCount: Int

    /// Builds the index from each entry's term counts per field (`fields[field][entry]`), with
    /// ids from `vocabulary`.
    init(fields: [[FieldTerms]], vocabulary: TermVocabulary, boosts: RetrievalConfiguration.FieldBoosts, k1: Double, b: Double) {
        precondition(fields.count == Field.allCases.count)
        self.termIDs = vocabulary.ids
        self.documentCount = fields[0].count
        self.fields = fields.map { Self.buildField($0, termCount: vocabulary.count, k1: k1, b: b) }
        self.boosts = [boosts.question, boosts.alternates, boosts.answer]
    }

    /// Builds the index from analyzed terms per field (`terms[field][entry]`).
    init(terms: [[[String]]], boosts: RetrievalConfiguration.FieldBoosts, k1: Double, b: Double) {
        var vocabulary = TermVocabulary()
        let fields = terms.map { field in field.map { entry in FieldTerms(entry.map { vocabulary.id(for: $0) }) } }
        self.init(fields: fields, vocabulary: vocabulary, boosts: boosts, k1: k1, b: b)
    }

    private static func buildField(_ documents: [FieldTerms], termCount: Int, k1: Double, b: Double) -> FieldIndex {
        var documentFrequency = [Int32](repeating: 0, count: termCount)
        var totalLength = 0
        var nonEmpty = 0
        for document in documents {
            totalLength += document.length
            if document.length > 0 { nonEmpty += 1 }
            for term in document.terms { documentFrequency[Int(term)] += 1 }
        }
        var postingStart = [Int32](repeating: 0, count: termCount + 1)
        for term in 0..<termCount { postingStart[term + 1] = postingStart[term] + documentFrequency[term] }
        let postingCount = Int(postingStart[termCount])
        var postingDocument = [Int32](repeating: 0, count: postingCount)
        var postingFrequency = [Float](repeating: 0, count: postingCount)
        var next = postingStart
        for (document, fieldTerms) in documents.enumerated() {
            for (term, frequency) in zip(fieldTerms.terms, fieldTerms.frequencies) {
                let slot = Int(next[Int(term)])
                postingDocument[slot] = Int32(document)
                postingFrequency[slot] = frequency
                next[Int(term)] += 1
            }
        }
        let averageLength = nonEmpty == 0 ? 0 : Double(totalLength) / Double(nonEmpty)
        let lengthNorm = documents.map { document in
            averageLength == 0 ? k1 : k1 * (1 - b + b * Double(document.length) / averageLength)
        }
        let n = Double(nonEmpty)
        let idf = documentFrequency.map { df -> Double in
            df == 0 ? 0 : Self.idf(documentCount: n, documentFrequency: Double(df))
        }
        return FieldIndex(
            postingStart: postingStart, postingDocument: postingDocument, postingFrequency: postingFrequency,
            lengthNorm: lengthNorm, idf: idf, documentCount: nonEmpty, averageLength: averageLength)
    }

    /// Lucene's BM25 idf.
    static func idf(documentCount n: Double, documentFrequency df: Double) -> Double {
        log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// Term ids and weights of analyzed query terms; unknown terms are dropped, repeats keep the
    /// highest weight.
    func queryTerms(_ weighted: [(term: String, weight: Double)]) -> [(id: Int32, weight: Double)] {
        var result: [(id: Int32, weight: Double)] = []
        for (term, weight) in weighted {
            guard let id = termIDs[term] else { continue }
            if let index = result.firstIndex(where: { $0.id == id }) {
                result[index].weight = max(result[index].weight, weight)
            } else {
                result.append((id, weight))
            }
        }
        return result
    }

    /// Adds every entry's BM25 score to `scores` (length `documentCount`) and lists in `touched`
    /// the entries that scored for the first time.
    func accumulate(_ query: [(id: Int32, weight: Double)], into scores: inout [Double], touched: inout [Int32]) {
        for (fieldNumber, field) in fields.enumerated() {
            let boost = boosts[fieldNumber]
            guard boost > 0 else { continue }
            for (id, weight) in query {
                let term = Int(id)
                let factor = boost * weight * field.idf[term]
                guard factor > 0 else { continue }
                let start = Int(field.postingStart[term])
                let end = Int(field.postingStart[term + 1])
                for slot in start..<end {
                    let document = Int(field.postingDocument[slot])
                    let frequency = Double(field.postingFrequency[slot])
                    if scores[document] == 0 { touched.append(Int32(document)) }
                    scores[document] += factor * frequency / (frequency + field.lengthNorm[document])
                }
            }
        }
    }

    /// The largest idf of a term over the fields: how rare, hence how telling, it is.
    func maximumIDF(of id: Int32) -> Double {
        fields.map { $0.idf[Int(id)] }.max() ?? 0
    }

    /// Whether entry `document` contains term `id` in any field.
    func contains(_ id: Int32, in document: Int) -> Bool {
        fields.contains { Self.slot(of: id, in: document, field: $0) != nil }
    }

    /// The unboosted BM25 score of entry `document` in each field, in `Field` order.
    func fieldScores(_ query: [(id: Int32, weight: Double)], document: Int) -> [Double] {
        fields.map { field in
            var score = 0.0
            for (id, weight) in query {
                guard let slot = Self.slot(of: id, in: document, field: field) else { continue }
                let frequency = Double(field.postingFrequency[slot])
                score += weight * field.idf[Int(id)] * frequency / (frequency + field.lengthNorm[document])
            }
            return score
        }
    }

    /// Where term `id`'s posting for `document` is in `field`, if the field contains the term.
    private static func slot(of id: Int32, in document: Int, field: FieldIndex) -> Int? {
        let target = Int32(document)
        let start = Int(field.postingStart[Int(id)])
        let end = Int(field.postingStart[Int(id) + 1])
        var low = start
        var high = end
        while low < high {
            let middle = (low + high) / 2
            if field.postingDocument[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low < end && field.postingDocument[low] == target ? low : nil
    }
}
