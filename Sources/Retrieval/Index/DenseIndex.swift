/// Exact nearest-neighbour search over entry vectors. An entry's dense score is
/// (1 − w)·cos(q, question) + w·cos(q, answer), where "question" is the normalised mean of its
/// question's and alternates' embeddings and w the answer weight; since that is q·((1 − w)·Q + w·A),
/// each entry stores the one combined vector (`combine`) and a query costs one SIMD dot product
/// per entry. Immutable once built.
struct DenseIndex: Sendable {
    let dimension: Int
    let count: Int
    /// `count × dimension`, row-major.
    let vectors: [Float]

    /// One row per entry; a row of the wrong length counts as the zero vector.
    init(dimension: Int, rows: [[Float]]) {
        self.dimension = dimension
        self.count = rows.count
        var vectors: [Float] = []
        vectors.reserveCapacity(rows.count * dimension)
        for row in rows {
            if row.count == dimension {
                vectors.append(contentsOf: row)
            } else {
                vectors.append(contentsOf: repeatElement(0, count: dimension))
            }
        }
        self.vectors = vectors
    }

    /// (1 − answerWeight)·question + answerWeight·answer; missing vectors count as zero.
    static func combine(question: [Float], answer: [Float], answerWeight: Float, dimension: Int) -> [Float] {
        var row = [Float](repeating: 0, count: dimension)
        if question.count == dimension {
            for index in 0..<dimension { row[index] += (1 - answerWeight) * question[index] }
        }
        if answer.count == dimension {
            for index in 0..<dimension { row[index] += answerWeight * answer[index] }
        }
        return row
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
            sum0 +=
                UnsafeRawPointer(q + index).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(row + index).loadUnaligned(as: SIMD16<Float>.self)
            sum1 +=
                UnsafeRawPointer(q + index + 16).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(row + index + 16).loadUnaligned(as: SIMD16<Float>.self)
            index += 32
        }
        while index + 16 <= dimension {
            sum0 +=
                UnsafeRawPointer(q + index).loadUnaligned(as: SIMD16<Float>.self)
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
