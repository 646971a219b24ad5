import COpenBLAS
import Crypto
import Foundation
import Logging

/// all-MiniLM-L6-v2 sentence embeddings in Swift: WordPiece tokenizer, a 6-layer BERT on
/// OpenBLAS sgemm, mean pooling and L2 normalisation. The classifier and the dense retriever use
/// it through `TextEmbedder`.
///
/// Thread-safe: the weights are read-only and every `embed` call allocates its own scratch
/// buffers, so any number of calls may run at once.
public final class MiniLMEncoder: TextEmbedder, Sendable {
    /// The files a model directory must contain.
    public static let requiredFiles = ["model.safetensors", "tokenizer.json", "config.json"]

    /// 384 for all-MiniLM-L6-v2.
    public let dimension: Int
    /// `all-MiniLM-L6-v2@` + the first 12 hex digits of the SHA-256 of `model.safetensors`.
    public let identity: String
    /// The tokenizer, for callers that want token counts.
    public let tokenizer: WordPieceTokenizer
    /// The settings this encoder runs with (with `maxTokens` and `maxBatchTokens` clamped).
    public let configuration: EncoderConfiguration

    let weights: MiniLMWeights
    /// The base encoder's identity when this one runs tuned top layers; nil for the base itself.
    public let baseIdentity: String?

    /// Loads `model.safetensors`, `tokenizer.json` and `config.json` from `directory`, checking
    /// every tensor against the configuration. Sets OpenBLAS's (process-wide) thread count to
    /// `configuration.threads`.
    public init(
        directory: URL, configuration: EncoderConfiguration = .init(),
        logger: Logger = Logger(label: "supportbot.encoder")
    ) throws(EncoderError) {
        let started = ContinuousClock.now
        let bert = try BertConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let tensors = try SafeTensors(contentsOf: directory.appendingPathComponent("model.safetensors"))
        let weights = try MiniLMWeights(tensors: tensors, configuration: bert)
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: directory.appendingPathComponent("tokenizer.json"))
        guard tokenizer.vocabularySize <= bert.vocabularySize else {
            throw EncoderError(
                .invalidVocabulary,
                "tokenizer.json has \(tokenizer.vocabularySize) ids but the model only \(bert.vocabularySize) embeddings")
        }
        var settings = configuration
        settings.maxTokens = min(max(configuration.maxTokens, 2), bert.maxPositions)
        settings.batchSize = max(configuration.batchSize, 1)
        settings.maxBatchTokens = max(configuration.maxBatchTokens, settings.maxTokens)
        settings.threads = max(configuration.threads, 1)
        openblas_set_num_threads(Int32(settings.threads))

        let digest = SHA256.hash(data: tensors.fileBytes)
        let hex = digest.prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        self.identity = "all-MiniLM-L6-v2@" + hex
        self.dimension = bert.hiddenSize
        self.tokenizer = tokenizer
        self.weights = weights
        self.configuration = settings
        self.baseIdentity = nil
        logger.info(
            "encoder.loaded",
            metadata: [
                "encoder.identity": "\(identity)",
                "encoder.directory": "\(directory.path)",
                "encoder.threads": "\(settings.threads)",
                "encoder.blas_core": "\(Self.blasCore)",
                "encoder.load_ms": "\(Self.milliseconds(since: started))",
            ])
    }

    private init(tuning base: MiniLMEncoder, weights: MiniLMWeights, identity: String) {
        self.identity = identity
        self.dimension = base.dimension
        self.tokenizer = base.tokenizer
        self.configuration = base.configuration
        self.weights = weights
        self.baseIdentity = base.identity
    }

    /// This encoder with its top layers replaced by `tuned` (fine-tuned on it): its embeddings
    /// and lower layers are shared, not copied. Throws `.tuningMismatch` when `tuned` was made
    /// from another base encoder or does not fit this one's layers.
    public func applying(_ tuned: TunedLayers) throws(EncoderError) -> MiniLMEncoder {
        let config = weights.configuration
        guard baseIdentity == nil, tuned.baseIdentity == identity else {
            throw EncoderError(
                .tuningMismatch,
                "the tuned layers were trained on encoder \(tuned.baseIdentity), but this encoder is \(identity)")
        }
        guard tuned.layerCount <= config.layerCount, tuned.hiddenSize == config.hiddenSize,
            tuned.intermediateSize == config.intermediateSize
        else {
            throw EncoderError(
                .tuningMismatch,
                "\(tuned.layerCount) tuned layers of width \(tuned.hiddenSize) do not fit this encoder's \(config.layerCount) of \(config.hiddenSize)"
            )
        }
        let tunedWeights = MiniLMWeights(base: weights, replacingTop: tuned.layers, owner: tuned.storage)
        return MiniLMEncoder(tuning: self, weights: tunedWeights, identity: tuned.identity)
    }

    /// Whether `word` encodes to a single WordPiece token (the 30,522-entry BERT vocabulary).
    public func knowsWord(_ word: String) -> Bool {
        tokenizer.encode(word, maxTokens: 4).count == 3 && tokenizer.encode(word, maxTokens: 8).count == 3
    }

    /// One unit-length vector per text, in order. Texts are tokenized, packed into batches of at
    /// most `batchSize` texts and `maxBatchTokens` tokens, and run without padding.
    public func embed(_ texts: [String]) -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let ids = texts.map { tokenizer.encode($0, maxTokens: configuration.maxTokens) }
        var batches: [BertForwardPass.PackedBatch] = []
        var current = BertForwardPass.PackedBatch()
        for textIDs in ids {
            if current.count == configuration.batchSize || current.tokens.count + textIDs.count > configuration.maxBatchTokens {
                batches.append(current)
                current = BertForwardPass.PackedBatch()
            }
            current.append(textIDs)
        }
        batches.append(current)
        let workspace = BertForwardPass.Workspace(
            tokens: batches.map(\.tokens.count).max() ?? 0,
            longestText: ids.map(\.count).max() ?? 0,
            configuration: weights.configuration
        )
        let pass = BertForwardPass(weights: weights)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for batch in batches {
            vectors.append(contentsOf: pass.run(batch, workspace: workspace))
        }
        return vectors
    }

    /// The kernel family OpenBLAS chose for this CPU (e.g. "Haswell", "SkylakeX"). OpenBLAS
    /// 0.3.21 picks its AVX2 "Haswell" kernels on AMD Zen 4 although the CPU has AVX-512;
    /// `OPENBLAS_CORETYPE=SkylakeX` in the environment then about doubles sgemm throughput.
    public static var blasCore: String {
        String(cString: openblas_get_corename())
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = (ContinuousClock.now - start).components
        return Int(elapsed.seconds) * 1000 + Int(elapsed.attoseconds / 1_000_000_000_000_000)
    }
}
