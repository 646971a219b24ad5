/// Tuning knobs of `MiniLMEncoder`. Every field has a default that suits a chat server on a small
/// machine; the CLI may override them from flags.
public struct EncoderConfiguration: Sendable, Equatable {
    /// Maximum tokens per text, counting `[CLS]` and `[SEP]`; longer texts are truncated.
    /// Default 256, the sentence-transformers setting for all-MiniLM-L6-v2. Clamped to
    /// 2...(the model's position table, 512).
    public var maxTokens: Int

    /// OpenBLAS threads. Default 1. OpenBLAS keeps this setting process-wide, so the last encoder
    /// created decides it. One thread is usually best here: parallelism comes from concurrent
    /// `embed` calls (each has its own scratch buffers), and a second BLAS thread does not speed
    /// up the small matrices of short sentences (see bench/encoder).
    public var threads: Int

    /// Maximum texts per forward pass. Default 64. Texts are packed without padding, so this only
    /// bounds the work (and scratch memory) of one pass.
    public var batchSize: Int

    /// Maximum tokens per forward pass; bounds per-call scratch memory at about 15 KB per token.
    /// Default 2048 (≈ 31 MB). Raised to `maxTokens` when smaller.
    public var maxBatchTokens: Int

    /// Creates a configuration; every argument defaults to the documented value.
    public init(maxTokens: Int = 256, threads: Int = 1, batchSize: Int = 64, maxBatchTokens: Int = 2048) {
        self.maxTokens = maxTokens
        self.threads = threads
        self.batchSize = batchSize
        self.maxBatchTokens = maxBatchTokens
    }
}
