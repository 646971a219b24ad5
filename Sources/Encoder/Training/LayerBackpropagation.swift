import COpenBLAS

/// One transformer layer trained by backpropagation over a packed batch (texts end to end, no
/// padding, as in `BertForwardPass`): a forward pass with the same kernels and arithmetic as
/// inference that keeps what the backward pass needs, and the backward pass that chains
/// `BackwardKernels` and `AttentionBackward` through the attention block, both residuals and
/// layer norms and the feed-forward block. Checked against finite differences of the whole
/// layer in `LayerBackpropagationTests`.
struct LayerBackpropagation {
    let configuration: BertConfiguration
    let layout: LayerParameterLayout

    init(configuration: BertConfiguration) {
        self.configuration = configuration
        layout = LayerParameterLayout(configuration)
    }

    /// The texts of a packed batch: where each starts (in rows) and how many rows it has.
    struct Spans {
        var starts: [Int] = []
        var lengths: [Int] = []
        var rows: Int { (starts.last ?? 0) + (lengths.last ?? 0) }
        var longest: Int { lengths.max() ?? 0 }

        mutating func append(length: Int) {
            starts.append(rows)
            lengths.append(length)
        }
    }

    /// What the forward pass of one layer keeps for its backward pass; reused batch after batch
    /// (buffers grow to the largest batch seen).
    final class Activations {
        var input = FloatBuffer(count: 0)  // [T, H] the layer's input
        var qkv = FloatBuffer(count: 0)  // [T, 3H]
        var probabilities = FloatBuffer(count: 0)  // per text, per head: [L, L]
        var context = FloatBuffer(count: 0)  // [T, H] attention output before the projection
        var attentionSum = FloatBuffer(count: 0)  // [T, H] projection + bias + input (before LayerNorm)
        var attentionNormed = FloatBuffer(count: 0)  // [T, H]
        var preActivation = FloatBuffer(count: 0)  // [T, I] before GELU
        var activation = FloatBuffer(count: 0)  // [T, I] after GELU
        var outputSum = FloatBuffer(count: 0)  // [T, H] FFN output + bias + attentionNormed
        var output = FloatBuffer(count: 0)  // [T, H] the layer's output
        var probabilityStarts: [Int] = []

        func reserve(rows: Int, spans: Spans, configuration c: BertConfiguration) {
            let h = c.hiddenSize
            let i = c.intermediateSize
            probabilityStarts = []
            var probabilityCount = 0
            for length in spans.lengths {
                probabilityStarts.append(probabilityCount)
                probabilityCount += c.headCount * length * length
            }
            grow(&input, rows * h)
            grow(&qkv, rows * 3 * h)
            grow(&probabilities, probabilityCount)
            grow(&context, rows * h)
            grow(&attentionSum, rows * h)
            grow(&attentionNormed, rows * h)
            grow(&preActivation, rows * i)
            grow(&activation, rows * i)
            grow(&outputSum, rows * h)
            grow(&output, rows * h)
        }
    }

    /// Scratch for the backward pass, reused batch after batch.
    final class Scratch {
        var hiddenA = FloatBuffer(count: 0)  // [T, H]
        var hiddenB = FloatBuffer(count: 0)  // [T, H]
        var hiddenC = FloatBuffer(count: 0)  // [T, H]
        var wide = FloatBuffer(count: 0)  // [T, I]
        var qkv = FloatBuffer(count: 0)  // [T, 3H]
        var square = FloatBuffer(count: 0)  // [L, L]

        func reserve(rows: Int, longest: Int, configuration c: BertConfiguration) {
            grow(&hiddenA, rows * c.hiddenSize)
            grow(&hiddenB, rows * c.hiddenSize)
            grow(&hiddenC, rows * c.hiddenSize)
            grow(&wide, rows * c.intermediateSize)
            grow(&qkv, rows * 3 * c.hiddenSize)
            grow(&square, longest * longest)
        }
    }

    /// Runs `layer` over `input` (`[spans.rows, H]`), leaving every intermediate result and the
    /// output in `saved`.
    func forward(layer: MiniLMWeights.Layer, spans: Spans, input: UnsafePointer<Float>, saved a: Activations) {
        let c = configuration
        let h = c.hiddenSize
        let i = c.intermediateSize
        let rows = spans.rows
        a.reserve(rows: rows, spans: spans, configuration: c)
        a.input.pointer.update(from: input, count: rows * h)
        BertForwardPass.gemm(rows: rows, outputs: 3 * h, inputs: h, input: input, weight: layer.qkvWeight, output: a.qkv.pointer)
        EncoderKernels.addBias(rows: rows, width: 3 * h, data: a.qkv.pointer, bias: layer.qkvBias)
        let d = c.headSize
        let scale = 1 / Float(d).squareRoot()
        for text in spans.starts.indices {
            let start = spans.starts[text]
            let n = Int32(spans.lengths[text])
            for head in 0..<c.headCount {
                let query = a.qkv.pointer + start * 3 * h + head * d
                let p = a.probabilities.pointer + a.probabilityStarts[text] + head * Int(n) * Int(n)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(d), scale, query, Int32(3 * h), query + h,
                    Int32(3 * h), 0, p, n)
                EncoderKernels.softmaxRows(rows: Int(n), width: Int(n), data: p)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(d), n, 1, p, n, query + 2 * h, Int32(3 * h), 0,
                    a.context.pointer + start * h + head * d, Int32(h))
            }
        }
        BertForwardPass.gemm(
            rows: rows, outputs: h, inputs: h, input: a.context.pointer, weight: layer.attentionOutputWeight,
            output: a.attentionSum.pointer)
        // Leaves projection + bias + input in attentionSum: the LayerNorm's input, kept.
        EncoderKernels.addResidualLayerNorm(
            rows: rows, width: h, input: a.attentionSum.pointer, bias: layer.attentionOutputBias, residual: input,
            scale: layer.attentionNormScale, shift: layer.attentionNormShift, epsilon: c.layerNormEpsilon,
            output: a.attentionNormed.pointer)
        BertForwardPass.gemm(
            rows: rows, outputs: i, inputs: h, input: a.attentionNormed.pointer, weight: layer.intermediateWeight,
            output: a.preActivation.pointer)
        EncoderKernels.addBias(rows: rows, width: i, data: a.preActivation.pointer, bias: layer.intermediateBias)
        for index in 0..<(rows * i) {
            a.activation.pointer[index] = EncoderKernels.gelu(a.preActivation.pointer[index])
        }
        BertForwardPass.gemm(
            rows: rows, outputs: h, inputs: i, input: a.activation.pointer, weight: layer.outputWeight,
            output: a.outputSum.pointer)
        EncoderKernels.addResidualLayerNorm(
            rows: rows, width: h, input: a.outputSum.pointer, bias: layer.outputBias, residual: a.attentionNormed.pointer,
            scale: layer.outputNormScale, shift: layer.outputNormShift, epsilon: c.layerNormEpsilon, output: a.output.pointer)
    }

    /// Given the loss gradient of the layer's output (`[rows, H]`), adds the gradient of every
    /// weight to `gradients` (this layer's `layout`) and writes the gradient of its input to
    /// `inputGradient` when given.
    func backward(
        layer: MiniLMWeights.Layer, spans: Spans, saved a: Activations, outputGradient: UnsafePointer<Float>,
        gradients g: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?, scratch s: Scratch
    ) {
        let c = configuration
        let h = c.hiddenSize
        let i = c.intermediateSize
        let rows = spans.rows
        let l = layout
        s.reserve(rows: rows, longest: spans.longest, configuration: c)
        let sumGradient = s.hiddenA.pointer
        // Output LayerNorm, then the feed-forward block back to its input (attentionNormed).
        BackwardKernels.layerNorm(
            rows: rows, width: h, input: a.outputSum.pointer, scale: layer.outputNormScale, epsilon: c.layerNormEpsilon,
            outputGradient: outputGradient, scaleGradient: g + l.outputNormScale, shiftGradient: g + l.outputNormShift,
            inputGradient: sumGradient)
        BackwardKernels.dense(
            rows: rows, outputs: h, inputs: i, input: a.activation.pointer, weight: layer.outputWeight,
            outputGradient: sumGradient, weightGradient: g + l.outputWeight, biasGradient: g + l.outputBias,
            inputGradient: s.wide.pointer)
        BackwardKernels.gelu(count: rows * i, preActivation: a.preActivation.pointer, gradient: s.wide.pointer)
        let normedGradient = s.hiddenB.pointer
        BackwardKernels.dense(
            rows: rows, outputs: i, inputs: h, input: a.attentionNormed.pointer, weight: layer.intermediateWeight,
            outputGradient: s.wide.pointer, weightGradient: g + l.intermediateWeight, biasGradient: g + l.intermediateBias,
            inputGradient: normedGradient)
        add(sumGradient, to: normedGradient, count: rows * h)  // the residual around the feed-forward block
        // Attention LayerNorm, output projection, attention, fused QKV projection.
        let attentionSumGradient = s.hiddenA.pointer
        BackwardKernels.layerNorm(
            rows: rows, width: h, input: a.attentionSum.pointer, scale: layer.attentionNormScale,
            epsilon: c.layerNormEpsilon, outputGradient: normedGradient, scaleGradient: g + l.attentionNormScale,
            shiftGradient: g + l.attentionNormShift, inputGradient: attentionSumGradient)
        let contextGradient = s.hiddenC.pointer
        BackwardKernels.dense(
            rows: rows, outputs: h, inputs: h, input: a.context.pointer, weight: layer.attentionOutputWeight,
            outputGradient: attentionSumGradient, weightGradient: g + l.attentionOutputWeight,
            biasGradient: g + l.attentionOutputBias, inputGradient: contextGradient)
        let d = c.headSize
        let scale = 1 / Float(d).squareRoot()
        for text in spans.starts.indices {
            let start = spans.starts[text]
            let n = spans.lengths[text]
            for head in 0..<c.headCount {
                let query = a.qkv.pointer + start * 3 * h + head * d
                let gradient = s.qkv.pointer + start * 3 * h + head * d
                AttentionBackward.head(
                    length: n, width: d, stride: 3 * h, scale: scale, query: query, key: query + h, value: query + 2 * h,
                    probabilities: a.probabilities.pointer + a.probabilityStarts[text] + head * n * n,
                    contextGradient: contextGradient + start * h + head * d, contextStride: h, queryGradient: gradient,
                    keyGradient: gradient + h, valueGradient: gradient + 2 * h, gradientStride: 3 * h,
                    scratch: s.square.pointer)
            }
        }
        BackwardKernels.dense(
            rows: rows, outputs: 3 * h, inputs: h, input: a.input.pointer, weight: layer.qkvWeight,
            outputGradient: s.qkv.pointer, weightGradient: g + l.qkvWeight, biasGradient: g + l.qkvBias,
            inputGradient: inputGradient)
        if let inputGradient {
            add(attentionSumGradient, to: inputGradient, count: rows * h)  // the residual around attention
        }
    }

    private func add(_ values: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { target[index] += values[index] }
    }
}

/// Replaces `buffer` with a larger zeroed one when it holds fewer than `count` floats.
func grow(_ buffer: inout FloatBuffer, _ count: Int) {
    if buffer.count < count { buffer = FloatBuffer(count: count) }
}
