import Foundation

/// Trains a `SoftmaxModel` with mini-batch Adam on cross-entropy: L2 on the weights, input
/// dropout, and lazy updates for the sparse block so only the rows of n-grams present in a batch
/// are touched. Single-threaded and driven by a seeded generator, so the same examples and seed
/// always give the same weights.
struct SoftmaxTrainer: Sendable {
    /// The knobs the trainer needs, taken from `ClassifierConfiguration`.
    struct Settings: Sendable {
        var learningRate: Float
        var l2: Float
        var dropout: Float
        var batchSize: Int
    }

    /// One training example.
    struct Example: Sendable {
        var features: FeatureVector
        var label: Int
    }

    private(set) var model: SoftmaxModel
    private let settings: Settings
    private var generator: SeededGenerator
    private var denseMoments: AdamState
    private var sparseMoments: AdamState
    private var biasMoments: AdamState
    private var steps = 0
    /// Per sparse row: its slot in `sparseGradient` during the current batch, or -1.
    private var rowSlot: [Int32]
    private var touchedRows: [Int32] = []
    private var sparseGradient: [Float] = []
    private var denseGradient: [Float]
    private var biasGradient: [Float]

    init(model: SoftmaxModel, settings: Settings, seed: UInt64) {
        self.model = model
        self.settings = settings
        generator = SeededGenerator(seed: seed)
        denseMoments = AdamState(count: model.dense.count)
        sparseMoments = AdamState(count: model.sparse.count)
        biasMoments = AdamState(count: model.bias.count)
        rowSlot = [Int32](repeating: -1, count: model.sparseFeatures)
        denseGradient = [Float](repeating: 0, count: model.dense.count)
        biasGradient = [Float](repeating: 0, count: model.classes)
    }

    /// One pass over `examples` in a fresh shuffled order; returns the mean training loss.
    mutating func runEpoch(_ examples: [Example]) -> Double {
        guard !examples.isEmpty else { return 0 }
        var order = Array(examples.indices)
        generator.shuffle(&order)
        let batchSize = max(settings.batchSize, 1)
        var totalLoss: Double = 0
        var probabilities = [Float](repeating: 0, count: model.classes)
        for batchStart in stride(from: 0, to: order.count, by: batchSize) {
            let batch = order[batchStart..<min(batchStart + batchSize, order.count)]
            let weight = 1 / Float(batch.count)
            for index in batch {
                let example = examples[index]
                let features = dropped(example.features)
                model.probabilities(features, into: &probabilities)
                totalLoss -= Double(logf(max(probabilities[example.label], 1e-12)))
                probabilities[example.label] -= 1
                for k in probabilities.indices { probabilities[k] *= weight }
                accumulate(probabilities, for: features)
            }
            applyUpdate()
        }
        return totalLoss / Double(examples.count)
    }

    /// The example with input dropout applied (inverted scaling, so prediction needs none).
    private mutating func dropped(_ features: FeatureVector) -> FeatureVector {
        let rate = settings.dropout
        guard rate > 0, rate < 1 else { return features }
        let keep = 1 / (1 - rate)
        var result = features
        for d in result.dense.indices {
            result.dense[d] = generator.nextUnitFloat() < rate ? 0 : result.dense[d] * keep
        }
        for i in result.sparse.values.indices {
            result.sparse.values[i] = generator.nextUnitFloat() < rate ? 0 : result.sparse.values[i] * keep
        }
        return result
    }

    /// Adds one example's gradient (`gradient` = weighted `p - onehot`) to the batch accumulators.
    private mutating func accumulate(_ gradient: [Float], for features: FeatureVector) {
        let classes = model.classes
        for k in 0..<classes { biasGradient[k] += gradient[k] }
        gradient.withUnsafeBufferPointer { g in
            guard let gBase = g.baseAddress else { return }
            denseGradient.withUnsafeMutableBufferPointer { dense in
                guard let base = dense.baseAddress else { return }
                for (d, x) in features.dense.enumerated() where x != 0 && d < model.denseDimension {
                    VectorKernels.addScaled(gBase, x, into: base + d * classes, count: classes)
                }
            }
            for (index, value) in zip(features.sparse.indices, features.sparse.values) where value != 0 {
                let row = Int(index)
                guard row >= 0, row < rowSlot.count else { continue }
                var slot = Int(rowSlot[row])
                if slot < 0 {
                    slot = touchedRows.count
                    rowSlot[row] = Int32(slot)
                    touchedRows.append(index)
                    if sparseGradient.count < (slot + 1) * classes {
                        sparseGradient.append(contentsOf: repeatElement(0, count: classes))
                    }
                }
                sparseGradient.withUnsafeMutableBufferPointer { sparse in
                    guard let base = sparse.baseAddress else { return }
                    VectorKernels.addScaled(gBase, value, into: base + slot * classes, count: classes)
                }
            }
        }
    }

    /// One Adam step on the dense block, the bias, and the sparse rows touched in the batch;
    /// the gradient accumulators are zeroed as they are consumed.
    private mutating func applyUpdate() {
        steps += 1
        let step = AdamState.Step(learningRate: settings.learningRate, step: steps)
        let classes = model.classes
        let l2 = settings.l2
        let denseCount = model.dense.count
        denseGradient.withUnsafeMutableBufferPointer { g in
            guard let gradient = g.baseAddress else { return }
            _ = denseMoments.withBuffers(&model.dense) { p, m, v in
                VectorKernels.adam(p, m, v, gradient: gradient, count: denseCount, l2: l2, step: step)
            }
        }
        biasGradient.withUnsafeMutableBufferPointer { g in
            guard let gradient = g.baseAddress else { return }
            _ = biasMoments.withBuffers(&model.bias) { p, m, v in
                VectorKernels.adam(p, m, v, gradient: gradient, count: classes, l2: 0, step: step)
            }
        }
        let rows = touchedRows
        sparseGradient.withUnsafeMutableBufferPointer { g in
            guard let gradient = g.baseAddress else { return }
            _ = sparseMoments.withBuffers(&model.sparse) { p, m, v in
                for (slot, row) in rows.enumerated() {
                    let offset = Int(row) * classes
                    VectorKernels.adam(
                        p + offset, m + offset, v + offset, gradient: gradient + slot * classes, count: classes,
                        l2: l2, step: step)
                }
            }
        }
        for row in rows { rowSlot[Int(row)] = -1 }
        touchedRows.removeAll(keepingCapacity: true)
    }
}
