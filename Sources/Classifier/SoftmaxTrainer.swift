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
                    SoftmaxModel.addScaled(gBase, x, into: base + d * classes, count: classes)
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
                    SoftmaxModel.addScaled(gBase, value, into: base + slot * classes, count: classes)
                }
            }
        }
    }

    /// One Adam step on the dense block, the bias, and the sparse rows touched in the batch;
    /// then clears the accumulators.
    private mutating func applyUpdate() {
        steps += 1
        let step = AdamState.Step(learningRate: settings.learningRate, step: steps)
        let classes = model.classes
        denseGradient.withUnsafeBufferPointer { g in
            denseMoments.update(&model.dense, range: 0..<model.dense.count, gradient: g, l2: settings.l2, step: step)
        }
        biasGradient.withUnsafeBufferPointer { g in
            biasMoments.update(&model.bias, range: 0..<classes, gradient: g, l2: 0, step: step)
        }
        sparseGradient.withUnsafeMutableBufferPointer { sparse in
            for (slot, row) in touchedRows.enumerated() {
                let start = Int(row) * classes
                let gradient = UnsafeBufferPointer(rebasing: sparse[(slot * classes)..<((slot + 1) * classes)])
                sparseMoments.update(&model.sparse, range: start..<(start + classes), gradient: gradient, l2: settings.l2, step: step)
                for k in (slot * classes)..<((slot + 1) * classes) { sparse[k] = 0 }
                rowSlot[Int(row)] = -1
            }
        }
        touchedRows.removeAll(keepingCapacity: true)
        for i in denseGradient.indices { denseGradient[i] = 0 }
        for k in biasGradient.indices { biasGradient[k] = 0 }
    }
}
