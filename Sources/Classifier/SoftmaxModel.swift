import Foundation

/// The linear softmax head over the concatenated features: one weight row per dense dimension
/// and per lexical feature, each row holding one weight per class, plus a bias per class.
/// Rows are class-contiguous so a sparse feature touches one contiguous run of memory.
struct SoftmaxModel: Sendable, Equatable {
    /// Number of output classes.
    let classes: Int
    /// Length of the dense block (the embedding dimension, or 0).
    let denseDimension: Int
    /// Number of lexical features.
    let sparseFeatures: Int
    /// `denseDimension × classes`.
    var dense: [Float]
    /// `sparseFeatures × classes`.
    var sparse: [Float]
    /// One bias per class.
    var bias: [Float]

    /// A model with all weights zero (softmax regression is convex, so zero is a fine start and
    /// keeps training reproducible).
    init(classes: Int, denseDimension: Int, sparseFeatures: Int) {
        self.classes = classes
        self.denseDimension = denseDimension
        self.sparseFeatures = sparseFeatures
        dense = [Float](repeating: 0, count: denseDimension * classes)
        sparse = [Float](repeating: 0, count: sparseFeatures * classes)
        bias = [Float](repeating: 0, count: classes)
    }

    /// Restores a model; the arrays must have the sizes the dimensions imply.
    init(classes: Int, denseDimension: Int, sparseFeatures: Int, dense: [Float], sparse: [Float], bias: [Float]) {
        self.classes = classes
        self.denseDimension = denseDimension
        self.sparseFeatures = sparseFeatures
        self.dense = dense
        self.sparse = sparse
        self.bias = bias
    }

    /// Class probabilities for one example, written into `output` (length `classes`).
    func probabilities(_ features: FeatureVector, into output: inout [Float]) {
        logits(features, into: &output)
        Self.softmax(&output)
    }

    /// Raw scores for one example, written into `output` (length `classes`).
    func logits(_ features: FeatureVector, into output: inout [Float]) {
        let classes = self.classes
        let denseDimension = self.denseDimension
        let sparseFeatures = self.sparseFeatures
        for k in 0..<classes { output[k] = bias[k] }
        output.withUnsafeMutableBufferPointer { out in
            guard let target = out.baseAddress else { return }
            dense.withUnsafeBufferPointer { weights in
                guard let base = weights.baseAddress else { return }
                for (d, x) in features.dense.prefix(denseDimension).enumerated() where x != 0 {
                    VectorKernels.addScaled(base + d * classes, x, into: target, count: classes)
                }
            }
            sparse.withUnsafeBufferPointer { weights in
                guard let base = weights.baseAddress else { return }
                for (index, value) in zip(features.sparse.indices, features.sparse.values) {
                    let row = Int(index)
                    guard row >= 0, row < sparseFeatures else { continue }
                    VectorKernels.addScaled(base + row * classes, value, into: target, count: classes)
                }
            }
        }
    }

    /// In-place, numerically stable softmax.
    static func softmax(_ values: inout [Float]) {
        guard let largest = values.max() else { return }
        var total: Float = 0
        for k in values.indices {
            let e = expf(values[k] - largest)
            values[k] = e
            total += e
        }
        let scale = 1 / total
        for k in values.indices { values[k] *= scale }
    }
}
