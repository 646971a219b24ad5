import CDNNL
import COpenBLAS

/// Runs the BERT encoder over a packed batch: the tokens of all its texts laid end to end with no
/// padding, so every matrix product works only on real tokens. Only attention needs the text
/// boundaries; it runs per text and per head, which is exactly what a padding mask would achieve.
struct BertForwardPass {
    let weights: MiniLMWeights
    /// The linear layers in bfloat16, when the encoder runs at that precision; nil for float32.
    var reduced: BF16EncoderLayers? = nil

    /// Texts of one forward pass: their token ids concatenated, and where each text starts.
    struct PackedBatch {
        var tokens: [Int32] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        var count: Int { starts.count }

        mutating func append(_ ids: [Int32]) {
            starts.append(tokens.count)
            lengths.append(ids.count)
            tokens.append(contentsOf: ids)
        }
    }

    /// Scratch buffers for forward passes: the encoder keeps a few and lends one to each worker
    /// of an `embed` call, so steady-state calls allocate no scratch memory.
    ///
    /// `@unchecked Sendable`: one thread uses it at a time; the encoder's pool hands it over
    /// under a lock.
    final class Workspace: @unchecked Sendable {
        let tokenCapacity: Int
        let lengthCapacity: Int
        let hidden: UnsafeMutablePointer<Float>  // [T, H] the running hidden state
        let qkv: UnsafeMutablePointer<Float>  // [T, 3H]
        let context: UnsafeMutablePointer<Float>  // [T, H] attention output before projection
        let sublayer: UnsafeMutablePointer<Float>  // [T, H] projection output before the residual
        let intermediate: UnsafeMutablePointer<Float>  // [T, I]
        let scores: UnsafeMutablePointer<Float>  // [L, L] one head's attention matrix
        /// Inputs of the bfloat16 products, rounded (`[T, I]` at most); nil in float32.
        let roundedInput: UnsafeMutablePointer<UInt16>?
        /// The oneDNN stream of this workspace's pass, for bfloat16; nil in float32.
        let stream: dnnl_stream_t?
        /// oneDNN's scratch memory for this workspace's products.
        let scratchpad = ScratchpadArena()
        private let storage: UnsafeMutablePointer<Float>

        init(tokens: Int, longestText: Int, configuration: BertConfiguration, reduced: BF16EncoderLayers? = nil) {
            if let reduced, let stream = reduced.engine.makeStream() {
                self.stream = stream
                roundedInput = .allocate(capacity: max(1, tokens * configuration.intermediateSize))
            } else {
                stream = nil
                roundedInput = nil
            }
            let h = configuration.hiddenSize
            let sizes = [
                tokens * h, tokens * 3 * h, tokens * h, tokens * h, tokens * configuration.intermediateSize,
                longestText * longestText,
            ]
            // Round each part up to 16 floats so every buffer starts 64-byte aligned.
            let padded = sizes.map { ($0 + 15) / 16 * 16 }
            storage = UnsafeMutablePointer<Float>.allocate(capacity: max(16, padded.reduce(0, +)))
            var offsets: [Int] = []
            var offset = 0
            for size in padded {
                offsets.append(offset)
                offset += size
            }
            tokenCapacity = tokens
            lengthCapacity = longestText
            hidden = storage + offsets[0]
            qkv = storage + offsets[1]
            context = storage + offsets[2]
            sublayer = storage + offsets[3]
            intermediate = storage + offsets[4]
            scores = storage + offsets[5]
        }

        deinit {
            storage.deallocate()
            roundedInput?.deallocate()
            if let stream { dnnl_stream_destroy(stream) }
        }
    }

    /// Embeds every text of `batch`; one unit-length vector per text, in order.
    func run(_ batch: PackedBatch, workspace: borrowing Workspace) -> [[Float]] {
        let h = weights.configuration.hiddenSize
        runLayers(batch, count: weights.layers.count, workspace: workspace)
        return (0..<batch.count).map { text in
            EncoderKernels.meanPoolNormalized(rows: batch.lengths[text], width: h, data: workspace.hidden + batch.starts[text] * h)
        }
    }

    /// The embeddings and the first `count` layers over `batch`, leaving the hidden state of
    /// every token (`[tokens, hidden]`) in `workspace.hidden`: what fine-tuning caches below the
    /// layers it tunes.
    func runLayers(_ batch: PackedBatch, count: Int, workspace: borrowing Workspace) {
        let config = weights.configuration
        let h = config.hiddenSize
        let rows = batch.tokens.count
        assert(
            rows <= workspace.tokenCapacity && (batch.lengths.max() ?? 0) <= workspace.lengthCapacity,
            "workspace smaller than the batch it was planned for")
        embed(batch, into: workspace.hidden)
        for (index, layer) in weights.layers.prefix(count).enumerated() {
            let fast = reduced?.layers[index]
            // Self-attention: one product for Q, K and V of every token.
            if !apply(fast?.qkv, rows: rows, input: workspace.hidden, output: workspace.qkv, workspace: workspace) {
                Self.gemm(
                    rows: rows, outputs: 3 * h, inputs: h, input: workspace.hidden, weight: layer.qkvWeight,
                    output: workspace.qkv)
                EncoderKernels.addBias(rows: rows, width: 3 * h, data: workspace.qkv, bias: layer.qkvBias)
            }
            for text in 0..<batch.count {
                attend(start: batch.starts[text], length: batch.lengths[text], workspace: workspace)
            }
            if !apply(fast?.attentionOutput, rows: rows, input: workspace.context, output: workspace.sublayer, workspace: workspace)
            {
                Self.gemm(
                    rows: rows, outputs: h, inputs: h, input: workspace.context, weight: layer.attentionOutputWeight,
                    output: workspace.sublayer)
            }
            EncoderKernels.addResidualLayerNorm(
                rows: rows, width: h, input: workspace.sublayer, bias: layer.attentionOutputBias,
                residual: workspace.hidden, scale: layer.attentionNormScale, shift: layer.attentionNormShift,
                epsilon: config.layerNormEpsilon, output: workspace.hidden
            )
            // Feed-forward: H → I (GELU) → H.
            if !apply(fast?.intermediate, rows: rows, input: workspace.hidden, output: workspace.intermediate, workspace: workspace)
            {
                Self.gemm(
                    rows: rows, outputs: config.intermediateSize, inputs: h, input: workspace.hidden,
                    weight: layer.intermediateWeight, output: workspace.intermediate)
                EncoderKernels.addBiasGELU(
                    rows: rows, width: config.intermediateSize, data: workspace.intermediate, bias: layer.intermediateBias)
            }
            if !apply(fast?.output, rows: rows, input: workspace.intermediate, output: workspace.sublayer, workspace: workspace) {
                Self.gemm(
                    rows: rows, outputs: h, inputs: config.intermediateSize, input: workspace.intermediate,
                    weight: layer.outputWeight, output: workspace.sublayer)
            }
            EncoderKernels.addResidualLayerNorm(
                rows: rows, width: h, input: workspace.sublayer, bias: layer.outputBias,
                residual: workspace.hidden, scale: layer.outputNormScale, shift: layer.outputNormShift,
                epsilon: config.layerNormEpsilon, output: workspace.hidden
            )
        }
    }

    /// Runs a bfloat16 layer when there is one and oneDNN runs it; false means "use float32".
    private func apply(
        _ linear: BF16Linear?, rows: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        workspace: borrowing Workspace
    ) -> Bool {
        guard let linear, let scratch = workspace.roundedInput, let stream = workspace.stream else { return false }
        return linear.apply(
            rows: rows, input: input, scratch: scratch, output: output, stream: stream, scratchpad: workspace.scratchpad)
    }

    /// Word + position + token-type (0) embeddings, then LayerNorm.
    private func embed(_ batch: PackedBatch, into hidden: UnsafeMutablePointer<Float>) {
        let h = weights.configuration.hiddenSize
        for text in 0..<batch.count {
            for position in 0..<batch.lengths[text] {
                let row = batch.starts[text] + position
                let word = weights.wordEmbeddings + Int(batch.tokens[row]) * h
                let place = weights.positionEmbeddings + position * h
                let out = hidden + row * h
                for column in 0..<h {
                    out[column] = word[column] + place[column] + weights.tokenTypeEmbeddings[column]
                }
            }
        }
        EncoderKernels.layerNorm(
            rows: batch.tokens.count, width: h, data: hidden, scale: weights.embeddingNormScale,
            shift: weights.embeddingNormShift, epsilon: weights.configuration.layerNormEpsilon
        )
    }

    /// Scaled dot-product attention of one text, head by head: scores = Q·Kᵀ/√d, softmax over the
    /// text's own tokens, context = scores·V, written into the head's columns of `context`.
    private func attend(start: Int, length: Int, workspace: borrowing Workspace) {
        let config = weights.configuration
        let h = config.hiddenSize
        let d = config.headSize
        let stride = 3 * h
        let scale = 1 / Float(d).squareRoot()
        let n = Int32(length)
        for head in 0..<config.headCount {
            let query = workspace.qkv + start * stride + head * d
            let key = query + h
            let value = query + 2 * h
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(d),
                scale, query, Int32(stride), key, Int32(stride), 0, workspace.scores, n)
            EncoderKernels.softmaxRows(rows: length, width: length, data: workspace.scores)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(d), n,
                1, workspace.scores, n, value, Int32(stride), 0, workspace.context + start * h + head * d, Int32(h))
        }
    }

    /// output[rows, outputs] = input[rows, inputs] · weightᵀ, with `weight` stored `[outputs, inputs]`.
    static func gemm(
        rows: Int, outputs: Int, inputs: Int, input: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
            1, input, Int32(inputs), weight, Int32(inputs), 0, output, Int32(outputs))
    }
}
