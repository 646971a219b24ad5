import Foundation

/// The architecture numbers of a BERT encoder, read from the model's `config.json`, so weight
/// shapes are checked against what the file claims rather than against constants.
struct BertConfiguration: Sendable, Equatable, Decodable {
    var hiddenSize: Int
    var layerCount: Int
    var headCount: Int
    var intermediateSize: Int
    var vocabularySize: Int
    var maxPositions: Int
    var typeVocabularySize: Int
    var layerNormEpsilon: Float
    var activation: String

    /// all-MiniLM-L6-v2's values.
    static let miniLML6 = BertConfiguration(
        hiddenSize: 384, layerCount: 6, headCount: 12, intermediateSize: 1536, vocabularySize: 30522,
        maxPositions: 512, typeVocabularySize: 2, layerNormEpsilon: 1e-12, activation: "gelu"
    )

    var headSize: Int { hiddenSize / headCount }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case activation = "hidden_act"
    }

    init(
        hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, vocabularySize: Int,
        maxPositions: Int, typeVocabularySize: Int, layerNormEpsilon: Float, activation: String
    ) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.activation = activation
    }

    /// Reads and checks `config.json`.
    init(contentsOf url: URL) throws(EncoderError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw EncoderError(exists ? .unreadable : .fileNotFound, "cannot read \(url.path): \(error)")
        }
        do {
            self = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch {
            throw EncoderError(.corruptHeader, "\(url.path) is not a BERT config.json: \(error)")
        }
        try validate(source: url.path)
    }

    /// Rejects architectures this encoder does not implement.
    func validate(source: String) throws(EncoderError) {
        guard activation == "gelu" else {
            throw EncoderError(.unsupportedModel, "\(source): hidden_act \(activation) is not supported (only erf GELU)")
        }
        let sizes = [hiddenSize, layerCount, headCount, intermediateSize, vocabularySize, maxPositions, typeVocabularySize]
        guard sizes.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }), hiddenSize % headCount == 0, maxPositions >= 2 else {
            throw EncoderError(.unsupportedModel, "\(source): implausible sizes \(sizes) (hidden must divide by heads)")
        }
        guard layerNormEpsilon > 0, layerNormEpsilon < 1 else {
            throw EncoderError(.unsupportedModel, "\(source): layer_norm_eps \(layerNormEpsilon) is out of range")
        }
    }
}
