/// The separate embeddings behind each entry's combined dense vector: the centre of its
/// phrasings, its answer, every phrasing (question and alternates) and every answer sentence. The first stage ranks with
/// the combined vector alone; the reranker reads these to tell how close the query comes to the
/// *nearest* phrasing, which a centroid blurs when an entry's alternates are varied. Immutable.
struct EntryVectors: Sendable {
    /// Cosines of a query with one entry's vectors.
    struct Similarities: Sendable, Hashable {
        var centroid: Double
        var answer: Double
        /// The best phrasing.
        var nearestPhrasing: Double
        /// Mean of the two best phrasings (the best alone when there is one).
        var nearestTwoPhrasings: Double
        /// The answer sentence nearest the query (the whole answer when it has one sentence).
        var nearestAnswerSentence: Double
    }

    let dimension: Int
    /// `count × dimension`, row-major.
    private let centroids: [Float]
    private let answers: [Float]
    /// Every entry's phrasings one after the other; entry i owns rows
    /// `phrasingStart[i] ..< phrasingStart[i + 1]`.
    private let phrasings: [Float]
    private let phrasingStart: [Int]
    /// Every entry's answer sentences, laid out like `phrasings`.
    private let sentences: [Float]
    private let sentenceStart: [Int]

    /// One row per entry; missing or wrong-length vectors count as zero.
    init(dimension: Int, entries: [PreparedEntry]) {
        self.dimension = dimension
        func row(_ vector: [Float]?) -> [Float] {
            guard let vector, vector.count == dimension else { return [Float](repeating: 0, count: dimension) }
            return vector
        }
        centroids = entries.flatMap { row($0.centroid) }
        answers = entries.flatMap { row($0.answerVector) }
        (phrasings, phrasingStart) = Self.flatten(entries.map(\.phrasingVectors), dimension: dimension)
        (sentences, sentenceStart) = Self.flatten(entries.map(\.answerSentenceVectors), dimension: dimension)
    }

    private static func flatten(_ groups: [[[Float]]], dimension: Int) -> (rows: [Float], start: [Int]) {
        var start = [0]
        var flat: [Float] = []
        for group in groups {
            for vector in group where vector.count == dimension { flat += vector }
            start.append(flat.count / max(dimension, 1))
        }
        return (flat, start)
    }

    /// The best and second-best cosine of `query` with rows `range` of `rows` (-1 when absent).
    private func nearest(
        _ query: UnsafeBufferPointer<Float>, in rows: [Float], range: Range<Int>
    ) -> (best: Float, second: Float) {
        var best: Float = -1
        var second: Float = -1
        rows.withUnsafeBufferPointer { buffer in
            for row in range {
                let cosine = DenseIndex.dot(query, buffer, offset: row * dimension, dimension: dimension)
                if cosine > best {
                    second = best
                    best = cosine
                } else if cosine > second {
                    second = cosine
                }
            }
        }
        return (best, second)
    }

    /// The cosines of unit vector `query` with entry `entry`'s vectors.
    func similarities(_ query: [Float], entry: Int) -> Similarities {
        query.withUnsafeBufferPointer { q in
            let centroid = centroids.withUnsafeBufferPointer {
                DenseIndex.dot(q, $0, offset: entry * dimension, dimension: dimension)
            }
            let answer = answers.withUnsafeBufferPointer {
                DenseIndex.dot(q, $0, offset: entry * dimension, dimension: dimension)
            }
            let rows = phrasingStart[entry]..<phrasingStart[entry + 1]
            var (best, second) = nearest(q, in: phrasings, range: rows)
            if rows.isEmpty { best = centroid }
            let two = second > -1 ? (best + second) / 2 : best
            let sentenceRows = sentenceStart[entry]..<sentenceStart[entry + 1]
            let sentence = sentenceRows.isEmpty ? answer : nearest(q, in: sentences, range: sentenceRows).best
            return Similarities(
                centroid: Double(centroid), answer: Double(answer), nearestPhrasing: Double(best),
                nearestTwoPhrasings: Double(two), nearestAnswerSentence: Double(sentence))
        }
    }
}
