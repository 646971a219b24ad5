/// Exact nearest-neighbour search over entry vectors. An entry's dense score is
/// (1 − w)·cos(q, question) + w·cos(q, answer), where "question" is the normalised mean of its
/// question's and alternates' embeddings and w the answer weight; since that is q·((1 − w)·Q + w·A),
/// each entry stores the one combined vector and a query costs one SIMD dot product per entry.
/// Immutable once built.
struct DenseIndex: Sendable {
    let dimension: Int
    let count: Int
    /// `count × dimension`, row-major: (1 − w)·Q + w·A per entry.
    let vectors: [Float]

    /// `questions[i]` and `answers[i]` are entry i's unit vectors, each of length `dimension`
    /// (anything else counts as the zero vector).
    init(dimension: Int, questions: [[Float]], answers: [[Float]], answerWeight: Float) {
        precondition(questions.count == answers.count)
        self.dimension = dimension
        self.count = questions.count
        let questionWeight = 1 - answerWeight
        var vectors = [Float](repeating: 0, count: questions.count * dimension)
        for (row, (question, answer)) in zip(questions, answers).enumerated() {
            let offset = row * dimension
            if question.count == dimension {
                for index in 0..<dimension { vectors[offset + index] += questionWeight * question[index] }
            }
            if answer.count == dimension {
                for index in 0..<dimension { vectors[offset + index] += answerWeight * answer[index] }
            }
        }
        self.vectors = vectors
    }

    /// The dense score of every entry, or nil when the query vector has the wrong length.
    func scores(for query: [Float]) -> [Float]? {
        guard query.count == dimension else { return nil }
        var result = [Float](repeating: 0, count: count)
        query.withUnsafeBufferPointer { q in
            vectors.withUnsafeBufferPointer { rows in
                result.withUnsafeMutableBufferPointer { out in
                    for row in 0..<count {
                        out[row] = Self.dot(q, rows, offset: row * dimension, dimension: dimension)
                    }
                }
            }
        }
        return result
    }

    /// Dot product of `query` with the row at `offset`, 16 lanes at a time.
    @inline(__always)
    static func dot(_ query: UnsafeBufferPointer<Float>, _ rows: UnsafeBufferPointer<Float>, offset: Int, dimension: Int) -> Float {
        guard let q = query.baseAddress, let base = rows.baseAddress else { return 0 }
        let row = base + offset
        var sum0 = SIMD16<Float>()
        var sum1 = SIMD16<Float>()
        var index = 0
        while index + 32 <= dimension {
            sum0 += UnsafeRawPointer(q + index).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(row + index).loadUnaligned(as: SIMD16<Float>.self)
            sum1 += UnsafeRawPointer(q + index + 16).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(row + index + 16).loadUnaligned(as: SIMD16<Float>.self)
            index += 32
        }
        while index + 16 <= dimension {
            sum0 += UnsafeRawPointer(q + index).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(row + index).loadUnaligned(as: SIMD16<Float>.self)
            index += 16
        }
        var tail: Float = 0
        while index < dimension {
            tail += q[index] * row[index]
            index += 1
        }
        return (sum0 + sum1).sum() + tail
    }

    /// Normalised mean of unit vectors (the centre of an entry's phrasings), or the zero vector.
    static func centroid(_ vectors: [[Float]], dimension: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: dimension)
        for vector in vectors where vector.count == dimension {
            for index in 0..<dimension { sum[index] += vector[index] }
        }
        var norm: Float = 0
        for value in sum { norm += value * value }
        norm = norm.squareRoot()
        guard norm > 0 else { return sum }
        return sum.map { $0 / norm }
    }
}
