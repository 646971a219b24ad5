import Crypto

/// The top layers of an encoder after fine-tuning: their weights in `LayerParameterLayout`
/// order, and the identity of the base encoder they were tuned on. Applied to that base encoder
/// (`MiniLMEncoder.applying(_:)`) they give the classifier its own encoder, sharing the base's
/// embeddings and lower layers; the FAQ retriever keeps the base.
public final class TunedLayers: Sendable {
    /// `TextEmbedder.identity` of the base encoder.
    public let baseIdentity: String
    /// How many of the base's top layers these replace.
    public let layerCount: Int
    /// Hidden and feed-forward widths of each layer.
    public let hiddenSize: Int
    public let intermediateSize: Int
    /// `baseIdentity` + `+tuned@` + the first 12 hex digits of the SHA-256 of the weights.
    public let identity: String

    let storage: FloatBuffer

    /// Floats per layer for these widths.
    static func floatsPerLayer(hidden: Int, intermediate: Int) -> Int {
        LayerParameterLayout(hidden: hidden, intermediate: intermediate).count
    }

    /// Wraps stored weights (e.g. read back from a classifier artifact). Throws
    /// `.tuningMismatch` when `values` does not hold `layerCount` layers of these widths.
    public convenience init(
        baseIdentity: String, layerCount: Int, hiddenSize: Int, intermediateSize: Int, values: [Float]
    ) throws(EncoderError) {
        let perLayer = Self.floatsPerLayer(hidden: hiddenSize, intermediate: intermediateSize)
        guard layerCount > 0, hiddenSize > 0, intermediateSize > 0, values.count == layerCount * perLayer else {
            throw EncoderError(
                .tuningMismatch,
                "\(values.count) tuned weights do not make \(layerCount) layers of width \(hiddenSize)/\(intermediateSize)")
        }
        let storage = values.withUnsafeBufferPointer { FloatBuffer(copying: $0.baseAddress!, count: $0.count) }
        self.init(
            baseIdentity: baseIdentity, layerCount: layerCount, hiddenSize: hiddenSize, intermediateSize: intermediateSize,
            storage: storage)
    }

    init(baseIdentity: String, layerCount: Int, hiddenSize: Int, intermediateSize: Int, storage: FloatBuffer) {
        self.baseIdentity = baseIdentity
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.storage = storage
        let bytes = UnsafeRawBufferPointer(start: storage.pointer, count: storage.count * MemoryLayout<Float>.size)
        let hex = SHA256.hash(data: bytes).prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        identity = baseIdentity + "+tuned@" + hex
    }

    /// The weights, layer after layer, for storing.
    public var values: [Float] { storage.array }

    /// Bytes of weights held.
    public var byteCount: Int { storage.count * MemoryLayout<Float>.size }

    var layout: LayerParameterLayout { LayerParameterLayout(hidden: hiddenSize, intermediate: intermediateSize) }

    /// The layers as the forward pass reads them.
    var layers: [MiniLMWeights.Layer] {
        let layout = layout
        return (0..<layerCount).map { layout.layer(reading: storage.pointer + $0 * layout.count) }
    }
}

extension LayerParameterLayout {
    init(hidden: Int, intermediate: Int) {
        self.init(
            BertConfiguration(
                hiddenSize: hidden, layerCount: 1, headCount: 1, intermediateSize: intermediate, vocabularySize: 1,
                maxPositions: 2, typeVocabularySize: 1, layerNormEpsilon: 1e-12, activation: "gelu"))
    }
}
