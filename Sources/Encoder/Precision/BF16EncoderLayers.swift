/// The four linear layers of every transformer layer in bfloat16 (`BF16Linear`), converted from
/// the float32 weights at load (about 22 MB next to them). Biases are added by oneDNN where no
/// LayerNorm follows (query/key/value), and GELU follows the intermediate layer inside the same
/// primitive; the two projections before a LayerNorm leave their bias to it, as in float32.
final class BF16EncoderLayers: Sendable {
    /// One transformer layer's products.
    struct Layer: Sendable {
        let qkv: BF16Linear
        let attentionOutput: BF16Linear
        let intermediate: BF16Linear
        let output: BF16Linear
    }

    let engine: DNNLEngine
    let layers: [Layer]

    /// Converts every layer of `weights`.
    convenience init(weights: MiniLMWeights) throws(EncoderError) {
        let engine = try DNNLEngine()
        var layers: [Layer] = []
        for layer in weights.layers {
            layers.append(try Self.convert(layer, configuration: weights.configuration, engine: engine))
        }
        self.init(engine: engine, layers: layers)
    }

    /// `base` with its top layers converted again from `weights` (a tuned encoder's): the lower
    /// layers are shared.
    convenience init(base: BF16EncoderLayers, weights: MiniLMWeights, replacingTop count: Int) throws(EncoderError) {
        var layers = Array(base.layers.prefix(base.layers.count - count))
        for layer in weights.layers.suffix(count) {
            layers.append(try Self.convert(layer, configuration: weights.configuration, engine: base.engine))
        }
        self.init(engine: base.engine, layers: layers)
    }

    private init(engine: DNNLEngine, layers: [Layer]) {
        self.engine = engine
        self.layers = layers
    }

    private static func convert(
        _ layer: MiniLMWeights.Layer, configuration: BertConfiguration, engine: DNNLEngine
    ) throws(EncoderError) -> Layer {
        let h = configuration.hiddenSize
        let i = configuration.intermediateSize
        return Layer(
            qkv: try BF16Linear(engine: engine, weight: layer.qkvWeight, outputs: 3 * h, inputs: h, bias: layer.qkvBias),
            attentionOutput: try BF16Linear(engine: engine, weight: layer.attentionOutputWeight, outputs: h, inputs: h),
            intermediate: try BF16Linear(
                engine: engine, weight: layer.intermediateWeight, outputs: i, inputs: h, bias: layer.intermediateBias,
                gelu: true),
            output: try BF16Linear(engine: engine, weight: layer.outputWeight, outputs: h, inputs: i))
    }
}
