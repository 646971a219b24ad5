/// Exact nearest-neighbour search over unit vectors: every entry has one vector for its question
/// and alternates (their normalised mean) and one for its answer, stored row by row in two flat
/// arrays; a query is compared with all of them by SIMD dot products. Immutable once built.
struct DenseIndex: Sendable {
    let dimension: Int
    let count: Int
    /// `count × dimension`, row-major.
    let questionVectors: [Float]
    let answerVectors: [Float]

    /// `questions[i]` and `answers[i]` are entry i's vectors, each of length `dimension`.
    init(dimension: Int, questions: [[Float]], answers: [[Float]]) {
        precondition(questions.count == answers.count)
        self.dimension = dimension
        self.count = questions.count
        var questionVectors: [Float] = []
        var answerVectors: [Float] = []
        questionVectors.reserveCapacity(questions.count * dimension)
        answerVectors.reserveCapacity(answers.count * dimension)
        for (question, answer) in zip(questions, answers) {
            questionVectors += question.count == dimension ? question : [Float](repeating: 0, count: dimension)
            answerVectors += answer.count == dimension ? answer : [Float](repeating: 0, count: dimension)
        }
        self.questionVectors = questionVectors
        self.answerVectors = answerVectors
    }

    /// Per entry: (1 − answerWeight) · cos(query, question) + answerWeight · cos(query, answer).
    /// Returns nil when the query vector has the wrong length.
    func scores(for query: [Float], answerWeight: Float) -> [Float]? {
        guard query.count == dimension else { return nil }
        let questionWeight = 1 - answerWeight
        var result = [Float](repeating: 0, count: count)
        query.withUnsafeBufferPointer { q in
            questionVectors.withUnsafeBufferPointer { questions in
                answerVectors.withUnsafeBufferPointer { answers in
                    result.withUnsafeMutableBufferPointer { out in
                        for row in 0..<count {
                            let offset = row * dimension
                            let (question, answer) = Self.dotPair(q, questions, answers, offset: offset, dimension: dimension)
                            out[row] = questionWeight * question + answerWeight * answer
                        }
                    }
                }
            }
        }
        return result
    }

    /// Dot products of `query` with the rows at `offset` of both matrices, 16 lanes at a time.
    @inline(__always)
    static func dotPair(
        _ query: UnsafeBufferPointer<Float>, _ first: UnsafeBufferPointer<Float>, _ second: UnsafeBufferPointer<Float>,
        offset: Int, dimension: Int
    ) -> (Float, Float) {
        guard let q = query.baseAddress, let a = first.baseAddress, let b = second.baseAddress else { return (0, 0) }
        var sumA = SIMD16<Float>()
        var sumB = SIMD16<Float>()
        var index = 0
        let rowA = a + offset
        let rowB = b + offset
        while index + 16 <= dimension {
            let x = UnsafeRawPointer(q + index).loadUnaligned(as: SIMD16<Float>.self)
            sumA += x * UnsafeRawPointer(rowA + index).loadUnaligned(as: SIMD16<Float>.self)
            sumB += x * UnsafeRawPointer(rowB + index).loadUnaligned(as: SIMD16<Float>.self)
            index += 16
        }
        var tailA: Float = 0
        var tailB: Float = 0
        while index < dimension {
            tailA += q[index] * rowA[index]
            tailB += q[index] * rowB[index]
            index += 1
        }
        return (sumA.sum() + tailA, sumB.sum() + tailB)
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
