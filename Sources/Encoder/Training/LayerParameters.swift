/// Where each weight of one transformer layer sits in a flat buffer of `count` floats, in the
/// order of `MiniLMWeights.Layer` (query/key/value fused). Fine-tuning keeps a layer's weights,
/// gradients and optimiser moments as flat buffers of this layout, so one loop updates them all
/// and the artifact stores them as one array.
struct LayerParameterLayout: Sendable, Equatable {
    let hidden: Int
    let intermediate: Int

    init(_ configuration: BertConfiguration) {
        hidden = configuration.hiddenSize
        intermediate = configuration.intermediateSize
    }

    var qkvWeight: Int { 0 }
    var qkvBias: Int { qkvWeight + 3 * hidden * hidden }
    var attentionOutputWeight: Int { qkvBias + 3 * hidden }
    var attentionOutputBias: Int { attentionOutputWeight + hidden * hidden }
    var attentionNormScale: Int { attentionOutputBias + hidden }
    var attentionNormShift: Int { attentionNormScale + hidden }
    var intermediateWeight: Int { attentionNormShift + hidden }
    var intermediateBias: Int { intermediateWeight + intermediate * hidden }
    var outputWeight: Int { intermediateBias + intermediate }
    var outputBias: Int { outputWeight + hidden * intermediate }
    var outputNormScale: Int { outputBias + hidden }
    var outputNormShift: Int { outputNormScale + hidden }
    /// Floats in one layer.
    var count: Int { outputNormShift + hidden }

    /// The parts in order, with their sizes: what `copy(_:into:)` writes.
    private var parts: [(offset: Int, count: Int, source: KeyPath<MiniLMWeights.Layer, UnsafePointer<Float>>)] {
        let h = hidden
        let i = intermediate
        return [
            (qkvWeight, 3 * h * h, \.qkvWeight), (qkvBias, 3 * h, \.qkvBias),
            (attentionOutputWeight, h * h, \.attentionOutputWeight), (attentionOutputBias, h, \.attentionOutputBias),
            (attentionNormScale, h, \.attentionNormScale), (attentionNormShift, h, \.attentionNormShift),
            (intermediateWeight, i * h, \.intermediateWeight), (intermediateBias, i, \.intermediateBias),
            (outputWeight, h * i, \.outputWeight), (outputBias, h, \.outputBias),
            (outputNormScale, h, \.outputNormScale), (outputNormShift, h, \.outputNormShift),
        ]
    }

    /// Copies `layer`'s weights into `buffer` (`count` floats) in this layout.
    func copy(_ layer: MiniLMWeights.Layer, into buffer: UnsafeMutablePointer<Float>) {
        for part in parts {
            (buffer + part.offset).update(from: layer[keyPath: part.source], count: part.count)
        }
    }

    /// A layer whose weights are read from `buffer` (`count` floats in this layout).
    func layer(reading buffer: UnsafePointer<Float>) -> MiniLMWeights.Layer {
        MiniLMWeights.Layer(
            qkvWeight: buffer + qkvWeight, qkvBias: buffer + qkvBias,
            attentionOutputWeight: buffer + attentionOutputWeight, attentionOutputBias: buffer + attentionOutputBias,
            attentionNormScale: buffer + attentionNormScale, attentionNormShift: buffer + attentionNormShift,
            intermediateWeight: buffer + intermediateWeight, intermediateBias: buffer + intermediateBias,
            outputWeight: buffer + outputWeight, outputBias: buffer + outputBias,
            outputNormScale: buffer + outputNormScale, outputNormShift: buffer + outputNormShift)
    }
}

/// A heap buffer of floats, zeroed, freed with the object: weights, gradients, moments and
/// activations of fine-tuning. `@unchecked Sendable`: shared across threads only once written.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    init(copying values: UnsafePointer<Float>, count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        pointer.update(from: values, count: count)
    }

    deinit {
        pointer.deallocate()
    }

    func zero() {
        pointer.update(repeating: 0, count: count)
    }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
