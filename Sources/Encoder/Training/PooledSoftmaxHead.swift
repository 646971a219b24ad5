#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The training objective of fine-tuning: each text's embedding as inference computes it (the
/// mean of its last hidden states, L2-normalised), a linear softmax over the intents, and
/// cross-entropy with the text's label. Backpropagates through the softmax, the normalisation
/// and the pooling to every token's last hidden state. The head is thrown away after tuning; the
/// classifier trains its own on the tuned embeddings.
final class PooledSoftmaxHead {
    let classes: Int
    let hidden: Int
    /// `[classes, hidden]` then `[classes]` bias, one buffer so one optimiser step covers both.
    let parameters: FloatBuffer
    let gradients: FloatBuffer

    var weight: UnsafeMutablePointer<Float> { parameters.pointer }
    var bias: UnsafeMutablePointer<Float> { parameters.pointer + classes * hidden }

    /// Starts from the classes' mean embeddings scaled by `scale`: the logits begin as scaled
    /// cosines to each class centroid, so the first steps already push the encoder the right way.
    init(centroidsOf embeddings: [[Float]], labels: [Int], classes: Int, scale: Float) {
        self.classes = classes
        hidden = embeddings.first?.count ?? 0
        parameters = FloatBuffer(count: classes * hidden + classes)
        gradients = FloatBuffer(count: classes * hidden + classes)
        for (embedding, label) in zip(embeddings, labels) {
            let row = weight + label * hidden
            for column in 0..<hidden { row[column] += embedding[column] }
        }
        for label in 0..<classes {
            let row = weight + label * hidden
            var norm: Float = 0
            for column in 0..<hidden { norm += row[column] * row[column] }
            let factor = norm > 0 ? scale / norm.squareRoot() : 0
            for column in 0..<hidden { row[column] *= factor }
        }
    }

    /// The outcome of one batch.
    struct Outcome {
        var loss: Double = 0
        var correct = 0
    }

    /// Cross-entropy summed over the texts of `spans` (hidden states `[rows, hidden]`). With
    /// `hiddenGradient`, also writes the gradient of the batch's mean loss with respect to every
    /// row there and adds the head's own gradient to `gradients`.
    func evaluate(
        hiddenStates: UnsafePointer<Float>, spans: LayerBackpropagation.Spans, labels: [Int],
        hiddenGradient: UnsafeMutablePointer<Float>?
    ) -> Outcome {
        var outcome = Outcome()
        var pooled = [Float](repeating: 0, count: hidden)
        var logits = [Float](repeating: 0, count: classes)
        var embeddingGradient = [Float](repeating: 0, count: hidden)
        let batchWeight = 1 / Float(max(labels.count, 1))
        for (text, label) in labels.enumerated() {
            let start = spans.starts[text]
            let length = spans.lengths[text]
            for column in 0..<hidden { pooled[column] = 0 }
            for row in start..<(start + length) {
                let line = hiddenStates + row * hidden
                for column in 0..<hidden { pooled[column] += line[column] }
            }
            var norm: Float = 0
            for column in 0..<hidden { norm += pooled[column] * pooled[column] }
            norm = max(norm.squareRoot(), 1e-12)
            for column in 0..<hidden { pooled[column] /= norm }
            var best = 0
            for k in 0..<classes {
                let row = weight + k * hidden
                var sum = bias[k]
                for column in 0..<hidden { sum += row[column] * pooled[column] }
                logits[k] = sum
                if sum > logits[best] { best = k }
            }
            let largest = logits[best]
            var total: Float = 0
            for k in 0..<classes {
                logits[k] = expf(logits[k] - largest)
                total += logits[k]
            }
            for k in 0..<classes { logits[k] /= total }  // now probabilities
            outcome.loss -= Double(logf(max(logits[label], 1e-12)))
            if best == label { outcome.correct += 1 }
            guard let hiddenGradient else { continue }
            // dz = (p − onehot)/B; head gradients; de = Wᵀ·dz.
            logits[label] -= 1
            for column in 0..<hidden { embeddingGradient[column] = 0 }
            for k in 0..<classes {
                let dz = logits[k] * batchWeight
                let row = weight + k * hidden
                let gradientRow = gradients.pointer + k * hidden
                for column in 0..<hidden {
                    gradientRow[column] += dz * pooled[column]
                    embeddingGradient[column] += dz * row[column]
                }
                gradients.pointer[classes * hidden + k] += dz
            }
            // Through e = s/‖s‖: ds = (de − e·(e·de))/‖s‖, and s sums the rows, so each row gets ds.
            var dot: Float = 0
            for column in 0..<hidden { dot += pooled[column] * embeddingGradient[column] }
            for column in 0..<hidden { embeddingGradient[column] = (embeddingGradient[column] - pooled[column] * dot) / norm }
            for row in start..<(start + length) {
                (hiddenGradient + row * hidden).update(from: embeddingGradient, count: hidden)
            }
        }
        return outcome
    }
}

/// Adam with decoupled weight decay (AdamW) over flat buffers.
struct AdamW {
    var beta1: Float = 0.9
    var beta2: Float = 0.999
    var epsilon: Float = 1e-6
    var weightDecay: Float

    /// One step for `count` parameters; `step` counts from 1.
    func update(
        parameters: UnsafeMutablePointer<Float>, gradients: UnsafePointer<Float>, first: UnsafeMutablePointer<Float>,
        second: UnsafeMutablePointer<Float>, count: Int, learningRate: Float, step: Int
    ) {
        let correction1 = 1 - powf(beta1, Float(step))
        let correction2 = 1 - powf(beta2, Float(step))
        let stepSize = learningRate / correction1
        let decay = 1 - learningRate * weightDecay
        for index in 0..<count {
            let g = gradients[index]
            first[index] = beta1 * first[index] + (1 - beta1) * g
            second[index] = beta2 * second[index] + (1 - beta2) * g * g
            let denominator = (second[index] / correction2).squareRoot() + epsilon
            parameters[index] = parameters[index] * decay - stepSize * first[index] / denominator
        }
    }
}
