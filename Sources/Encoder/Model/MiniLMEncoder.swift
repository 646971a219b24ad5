import COpenBLAS
import Crypto
import Foundation
import Logging
import Synchronization

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

    /// The precision the products run at (`configuration.precision` resolved for this CPU).
    public let precision: EncoderPrecision
    /// What oneDNN found on this CPU.
    public let cpuFeatures: CPUFeatures

    let weights: MiniLMWeights
    /// The linear layers in bfloat16 when `precision` is `.bf16`.
    let reduced: BF16EncoderLayers?
    /// Scratch buffers lent to `embed` calls and returned after (at most `threads + 1` kept).
    private let workspaces = Mutex<[BertForwardPass.Workspace]>([])
    /// Workspaces made so far (for tests: steady-state calls make none).
    let workspacesMade = Atomic<Int>(0)
    /// The base encoder's identity when this one runs tuned top layers; nil for the base itself.
    public let baseIdentity: String?

    /// Loads `model.safetensors`, `tokenizer.json` and `config.json` from `directory`, checking
    /// every tensor against the configuration, and prepares the products at
    /// `configuration.precision` (`auto`: bfloat16 when the CPU runs it natively, else float32;
    /// an explicit `bf16` the CPU cannot run throws `.precisionUnavailable`). Sets OpenBLAS's
    /// (process-wide) thread count to 1: the encoder spreads its work over cores itself.
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
        openblas_set_num_threads(1)
        let features = CPUFeatures.detect()
        var precision = try configuration.precision.resolved(for: features)
        var reduced: BF16EncoderLayers?
        if precision == .bf16 {
            do {
                reduced = try BF16EncoderLayers(weights: weights)
            } catch  where configuration.precision == .auto {
                logger.warning(
                    "encoder.precision.fallback",
                    metadata: ["encoder.error": "\(error)", "hint": "running in fp32; pass --precision fp32 to silence this"])
                precision = .fp32
            }
        }

        let digest = SHA256.hash(data: tensors.fileBytes)
        let hex = digest.prefix(6).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        self.identity = "all-MiniLM-L6-v2@" + hex
        self.dimension = bert.hiddenSize
        self.tokenizer = tokenizer
        self.weights = weights
        self.configuration = settings
        self.baseIdentity = nil
        self.precision = precision
        self.cpuFeatures = features
        self.reduced = reduced
        logger.info(
            "encoder.loaded",
            metadata: [
                "encoder.identity": "\(identity)",
                "encoder.directory": "\(directory.path)",
                "encoder.threads": "\(settings.threads)",
                "encoder.precision": "\(precision)", "encoder.cpu_isa": "\(features.isa)",
                "encoder.blas_core": "\(Self.blasCore)",
                "encoder.load_ms": "\(Self.milliseconds(since: started))",
            ])
    }

    private init(tuning base: MiniLMEncoder, weights: MiniLMWeights, reduced: BF16EncoderLayers?, identity: String) {
        self.identity = identity
        self.precision = base.precision
        self.cpuFeatures = base.cpuFeatures
        self.reduced = reduced
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
        let tunedReduced = try reduced.map { base throws(EncoderError) in
            try BF16EncoderLayers(base: base, weights: tunedWeights, replacingTop: tuned.layerCount)
        }
        return MiniLMEncoder(tuning: self, weights: tunedWeights, reduced: tunedReduced, identity: tuned.identity)
    }

    /// Whether `word` encodes to a single WordPiece token (the 30,522-entry BERT vocabulary).
    public func knowsWord(_ word: String) -> Bool {
        tokenizer.encode(word, maxTokens: 4).count == 3 && tokenizer.encode(word, maxTokens: 8).count == 3
    }

    /// One unit-length vector per text, in order. Texts are tokenized, sorted by token count (so a
    /// batch holds texts of similar length and the workers get even shares), packed into batches
    /// of at most `batchSize` texts and `maxBatchTokens` tokens with no padding, and the batches
    /// spread over `configuration.threads` workers.
    public func embed(_ texts: [String]) -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let ids = texts.map { tokenizer.encode($0, maxTokens: configuration.maxTokens) }
        let batches = Self.pack(ids, batchSize: configuration.batchSize, maxBatchTokens: configuration.maxBatchTokens)
        let workers = min(configuration.threads, batches.count)
        let results = EmbeddingResults(count: texts.count)
        let pass = BertForwardPass(weights: weights, reduced: reduced)
        let work: @Sendable (Int) -> Void = { worker in
            let mine = stride(from: worker, to: batches.count, by: workers).map { batches[$0] }
            let workspace = self.borrowWorkspace(
                tokens: mine.map(\.batch.tokens.count).max() ?? 0, longestText: mine.flatMap(\.batch.lengths).max() ?? 0)
            defer { self.returnWorkspace(workspace) }
            for planned in mine {
                for (vector, index) in zip(pass.run(planned.batch, workspace: workspace), planned.indices) {
                    results.store(vector, at: index)
                }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return results.vectors
    }

    /// A pooled workspace big enough for `tokens` tokens and texts of `longestText`, or a new one
    /// (sized up a little, so that it serves the next calls too).
    private func borrowWorkspace(tokens: Int, longestText: Int) -> BertForwardPass.Workspace {
        let pooled = workspaces.withLock { pool -> BertForwardPass.Workspace? in
            guard let index = pool.firstIndex(where: { $0.tokenCapacity >= tokens && $0.lengthCapacity >= longestText }) else {
                return nil
            }
            return pool.remove(at: index)
        }
        if let pooled { return pooled }
        workspacesMade.add(1, ordering: .relaxed)
        return BertForwardPass.Workspace(
            tokens: min(max(tokens, (tokens + 255) / 256 * 256), max(tokens, configuration.maxBatchTokens)),
            longestText: min(max(longestText, (longestText + 63) / 64 * 64), max(longestText, configuration.maxTokens)),
            configuration: weights.configuration, reduced: reduced)
    }

    /// Keeps `workspace` for the next call, unless enough are kept; the largest are kept.
    private func returnWorkspace(_ workspace: BertForwardPass.Workspace) {
        let keep = configuration.threads + 1
        workspaces.withLock { pool in
            pool.append(workspace)
            if pool.count > keep {
                pool.sort { $0.tokenCapacity > $1.tokenCapacity }
                pool.removeLast(pool.count - keep)
            }
        }
    }

    /// A batch and where its texts were in the caller's list.
    struct PlannedBatch {
        var batch = BertForwardPass.PackedBatch()
        var indices: [Int] = []
    }

    /// Texts sorted by token count (stable), packed in that order into batches.
    static func pack(_ ids: [[Int32]], batchSize: Int, maxBatchTokens: Int) -> [PlannedBatch] {
        let order = ids.indices.sorted { (ids[$0].count, $0) < (ids[$1].count, $1) }
        var batches: [PlannedBatch] = []
        var current = PlannedBatch()
        for index in order {
            if current.batch.count == batchSize || current.batch.tokens.count + ids[index].count > maxBatchTokens {
                batches.append(current)
                current = PlannedBatch()
            }
            current.batch.append(ids[index])
            current.indices.append(index)
        }
        batches.append(current)
        return batches
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

/// The vectors of one `embed` call, written by its workers at disjoint indices.
private final class EmbeddingResults: @unchecked Sendable {
    private var storage: [[Float]]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: [], count: count)
    }

    func store(_ vector: [Float], at index: Int) {
        lock.withLock { storage[index] = vector }
    }

    var vectors: [[Float]] { lock.withLock { storage } }
}
