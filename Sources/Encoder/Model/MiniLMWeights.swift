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

    /// Keeps the mapping alive.
    private let tensors: SafeTensors
    /// The fused query/key/value weights and biases of all layers.
    private let fused: UnsafeMutableBufferPointer<Float>

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
        let fused = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, perLayer * config.layerCount))
        var layers: [Layer] = []
        do throws(EncoderError) {
            guard let fusedBase = fused.baseAddress else {
                throw EncoderError(.unsupportedModel, "cannot allocate the fused attention weights")
            }
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
        } catch {
            fused.deallocate()
            throw error
        }
        self.configuration = config
        self.layers = layers
        self.tensors = tensors
        self.fused = fused
    }

    deinit {
        fused.deallocate()
    }
}
