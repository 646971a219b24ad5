/// Tuning knobs of `MiniLMEncoder`. Every field has a default that suits a chat server on a small
/// machine; the CLI may override them from flags.
public struct EncoderConfiguration: Sendable, Equatable {
    /// Maximum tokens per text, counting `[CLS]` and `[SEP]`; longer texts are truncated.
    /// Default 256, the sentence-transformers setting for all-MiniLM-L6-v2. Clamped to
    /// 2...(the model's position table, 512).
    public var maxTokens: Int

    /// Cores one `embed` call may use. Default 1. A call's batches are spread over this many
    /// workers, each running its batches on one thread (OpenBLAS and oneDNN are set to one thread
    /// each: the small matrices of short sentences do not speed up with more, see bench/encoder).
    /// Concurrent `embed` calls run in parallel too, each with its own scratch buffers.
    public var threads: Int

    /// The number format of the matrix products. Default `.auto`: bfloat16 where the CPU does it
    /// natively (AVX-512 BF16 or AMX), float32 elsewhere.
    public var precision: EncoderPrecision

    /// Maximum texts per forward pass. Default 64. Texts are packed without padding, so this only
    /// bounds the work (and scratch memory) of one pass.
    public var batchSize: Int

    /// Maximum tokens per forward pass; bounds per-call scratch memory at about 15 KB per token.
    /// Default 2048 (≈ 31 MB). Raised to `maxTokens` when smaller.
    public var maxBatchTokens: Int

    /// Creates a configuration; every argument defaults to the documented value.
    public init(
        maxTokens: Int = 256, threads: Int = 1, batchSize: Int = 64, maxBatchTokens: Int = 2048,
        precision: EncoderPrecision = .auto
    ) {
        self.precision = precision
        self.maxTokens = maxTokens
        self.threads = threads
        self.batchSize = batchSize
        self.maxBatchTokens = maxBatchTokens
    }
}
