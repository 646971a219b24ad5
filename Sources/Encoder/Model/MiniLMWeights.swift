/// The encoder's weights, checked tensor by tensor against `config.json` (name, F32, shape).
/// Most tensors are read in place from the memory-mapped safetensors file; the query, key and
/// value projections of each layer are copied once into one fused `[3·hidden, hidden]` matrix so
/// a single sgemm computes all three.
///
/// `@unchecked Sendable`: every pointer is written only during `init` and read-only afterwards;
/// the mapping and the owned buffer live exactly as long as this object.
final class MiniLMWeights: @unchecked Sendable {
    /// One transformer layer. Linear weights are `[out, in]` (PyTorch layout): y = x·Wᵀ + b.
    struct Layer {
        let qkvWeight: UnsafePointer<Float>  // [3H, H]: query rows, then key rows, then value rows
        let qkvBias: UnsafePointer<Float>  // [3H]
        let attentionOutputWeight: UnsafePointer<Float>  // [H, H]
        let attentionOutputBias: UnsafePointer<Float>  // [H]
        let attentionNormScale: UnsafePointer<Float>  // [H]
        let attentionNormShift: UnsafePointer<Float>  // [H]
        let intermediateWeight: UnsafePointer<Float>  // [I, H]
        let intermediateBias: UnsafePointer<Float>  // [I]
        let outputWeight: UnsafePointer<Float>  // [H, I]
        let outputBias: UnsafePointer<Float>  // [H]
        let outputNormScale: UnsafePointer<Float>  // [H]
        let outputNormShift: UnsafePointer<Float>  // [H]
    }

    let configuration: BertConfiguration
    let wordEmbeddings: UnsafePointer<Float>  // [V, H]
    let positionEmbeddings: UnsafePointer<Float>  // [P, H]
    let tokenTypeEmbeddings: UnsafePointer<Float>  // [T, H]; every token is type 0
    let embeddingNormScale: UnsafePointer<Float>
    let embeddingNormShift: UnsafePointer<Float>
    let layers: [Layer]

    /// What the pointers point into, kept alive with them: the mapping, the fused query/key/value
    /// weights, and for a tuned encoder its tuned layers and the base weights.
    private let owners: [AnyObject]
    private let tensors: SafeTensors?

    init(tensors: SafeTensors, configuration config: BertConfiguration) throws(EncoderError) {
        let h = config.hiddenSize
        let i = config.intermediateSize
        func load(_ name: String, _ shape: [Int]) throws(EncoderError) -> UnsafePointer<Float> {
            // `floats` checks presence, dtype and shape; a non-empty shape guarantees a base address.
            guard let base = try tensors.floats(name, shape: shape).baseAddress else {
                throw EncoderError(.wrongShape, "tensor \(name) is empty")
            }
            return base
        }
        wordEmbeddings = try load("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        positionEmbeddings = try load("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbeddings = try load("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, h])
        embeddingNormScale = try load("embeddings.LayerNorm.weight", [h])
        embeddingNormShift = try load("embeddings.LayerNorm.bias", [h])

        let perLayer = 3 * h * h + 3 * h
        let fused = FloatBuffer(count: perLayer * config.layerCount)
        let fusedBase = fused.pointer
        var layers: [Layer] = []
        for index in 0..<config.layerCount {
            let prefix = "encoder.layer.\(index)."
            let weight = fusedBase + index * perLayer
            let bias = weight + 3 * h * h
            for (part, name) in ["query", "key", "value"].enumerated() {
                let w = try load(prefix + "attention.self.\(name).weight", [h, h])
                let b = try load(prefix + "attention.self.\(name).bias", [h])
                (weight + part * h * h).update(from: w, count: h * h)
                (bias + part * h).update(from: b, count: h)
            }
            layers.append(
                Layer(
                    qkvWeight: UnsafePointer(weight),
                    qkvBias: UnsafePointer(bias),
                    attentionOutputWeight: try load(prefix + "attention.output.dense.weight", [h, h]),
                    attentionOutputBias: try load(prefix + "attention.output.dense.bias", [h]),
                    attentionNormScale: try load(prefix + "attention.output.LayerNorm.weight", [h]),
                    attentionNormShift: try load(prefix + "attention.output.LayerNorm.bias", [h]),
                    intermediateWeight: try load(prefix + "intermediate.dense.weight", [i, h]),
                    intermediateBias: try load(prefix + "intermediate.dense.bias", [i]),
                    outputWeight: try load(prefix + "output.dense.weight", [h, i]),
                    outputBias: try load(prefix + "output.dense.bias", [h]),
                    outputNormScale: try load(prefix + "output.LayerNorm.weight", [h]),
                    outputNormShift: try load(prefix + "output.LayerNorm.bias", [h])
                ))
        }
        self.configuration = config
        self.layers = layers
        self.owners = [fused]
        self.tensors = tensors
    }

    /// `base` with its top layers replaced by `replacement` (embeddings and lower layers shared);
    /// `owner` keeps the replacement's memory alive.
    init(base: MiniLMWeights, replacingTop replacement: [Layer], owner: AnyObject) {
        configuration = base.configuration
        wordEmbeddings = base.wordEmbeddings
        positionEmbeddings = base.positionEmbeddings
        tokenTypeEmbeddings = base.tokenTypeEmbeddings
        embeddingNormScale = base.embeddingNormScale
        embeddingNormShift = base.embeddingNormShift
        layers = Array(base.layers.dropLast(replacement.count)) + replacement
        owners = [base, owner]
        tensors = nil
    }
}
