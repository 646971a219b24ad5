import COpenBLAS

/// The training examples' embeddings (in-scope intents only), for the out-of-scope decision: how
/// close a message comes to the nearest thing the bot was taught. On CLINC150 trained without
/// out-of-scope data, max-softmax plus this cosine separates out-of-scope messages better than
/// either alone (`bench/clinc150/ood-scores`). Immutable.
struct Exemplars: Sendable {
    let dimension: Int
    let count: Int
    /// `count × dimension`, row-major, unit rows.
    let vectors: [Float]

    init(dimension: Int, vectors: [Float]) {
        self.dimension = dimension
        self.count = dimension > 0 ? vectors.count / dimension : 0
        self.vectors = vectors
    }

    /// The in-scope examples of `data` (labels below `inScopeClasses`); nil without embeddings.
    init?(_ data: TrainingData, inScopeClasses: Int) {
        guard let dimension = data.embeddings.first?.count, dimension > 0 else { return nil }
        var vectors: [Float] = []
        for (embedding, label) in zip(data.embeddings, data.labels) where label < inScopeClasses && embedding.count == dimension {
            vectors += embedding
        }
        guard !vectors.isEmpty else { return nil }
        self.init(dimension: dimension, vectors: vectors)
    }

    /// The largest cosine of unit vector `embedding` with an example; nil for a wrong length.
    func nearest(_ embedding: [Float]) -> Float? {
        guard embedding.count == dimension, count > 0 else { return nil }
        var best = -Float.infinity
        embedding.withUnsafeBufferPointer { query in
            vectors.withUnsafeBufferPointer { rows in
                guard let q = query.baseAddress, let base = rows.baseAddress else { return }
                for row in 0..<count {
                    let start = base + row * dimension
                    var sum = SIMD8<Float>()
                    var index = 0
                    while index + 8 <= dimension {
                        sum +=
                            UnsafeRawPointer(q + index).loadUnaligned(as: SIMD8<Float>.self)
                            * UnsafeRawPointer(start + index).loadUnaligned(as: SIMD8<Float>.self)
                        index += 8
                    }
                    var total = sum.sum()
                    while index < dimension {
                        total += q[index] * start[index]
                        index += 1
                    }
                    best = max(best, total)
                }
            }
        }
        return best
    }

    /// `nearest(_:)` of many embeddings at once, as matrix products on OpenBLAS (chunks of 256
    /// queries): training scores thousands of held-out examples against thousands of exemplars,
    /// which one dot product at a time took most of a CLINC150 training run. nil for a vector of
    /// the wrong length.
    func nearest(batch embeddings: [[Float]]) -> [Float?] {
        guard count > 0 else { return embeddings.map { _ in nil } }
        var result = [Float?](repeating: nil, count: embeddings.count)
        let valid = embeddings.indices.filter { embeddings[$0].count == dimension }
        let chunk = 256
        var queries = [Float](repeating: 0, count: chunk * dimension)
        var products = [Float](repeating: 0, count: chunk * count)
        for start in stride(from: 0, to: valid.count, by: chunk) {
            let rows = Array(valid[start..<min(start + chunk, valid.count)])
            for (position, index) in rows.enumerated() {
                queries.replaceSubrange(position * dimension..<(position + 1) * dimension, with: embeddings[index])
            }
            queries.withUnsafeBufferPointer { q in
                vectors.withUnsafeBufferPointer { x in
                    products.withUnsafeMutableBufferPointer { c in
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(count), Int32(dimension), 1,
                            q.baseAddress, Int32(dimension), x.baseAddress, Int32(dimension), 0, c.baseAddress, Int32(count))
                    }
                }
            }
            for (position, index) in rows.enumerated() {
                var best = -Float.infinity
                for column in 0..<count { best = max(best, products[position * count + column]) }
                result[index] = best
            }
        }
        return result
    }
}
