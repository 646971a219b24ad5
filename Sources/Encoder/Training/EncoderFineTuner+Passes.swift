/// The hidden states of every token of a set of texts below the tuned layers: computed once,
/// read by every epoch.
struct HiddenStateCache {
    var states: FloatBuffer
    var starts: [Int]  // first row of each text
    var lengths: [Int]
    var count: Int { lengths.count }
}

/// The buffers of one training or scoring pass through the tuned layers, reused batch after batch.
struct PassBuffers {
    var input = FloatBuffer(count: 0)
    let activations: [LayerBackpropagation.Activations]
    let scratch = LayerBackpropagation.Scratch()
    private var gradients = [FloatBuffer(count: 0), FloatBuffer(count: 0)]

    init(tunedCount: Int) {
        activations = (0..<tunedCount).map { _ in LayerBackpropagation.Activations() }
    }

    var top: LayerBackpropagation.Activations { activations[activations.count - 1] }

    /// Copies the cached rows of `texts` end to end into `input`; returns their spans.
    mutating func load(_ texts: [Int], from cache: HiddenStateCache, width: Int) -> LayerBackpropagation.Spans {
        var spans = LayerBackpropagation.Spans()
        for text in texts { spans.append(length: cache.lengths[text]) }
        grow(&input, spans.rows * width)
        for (position, text) in texts.enumerated() {
            (input.pointer + spans.starts[position] * width).update(
                from: cache.states.pointer + cache.starts[text] * width, count: cache.lengths[text] * width)
        }
        return spans
    }

    /// Gradient buffer `index` (0 or 1: backward alternates them), at least `count` floats.
    mutating func gradient(_ index: Int, rows count: Int) -> UnsafeMutablePointer<Float> {
        grow(&gradients[index], count)
        return gradients[index].pointer
    }
}

/// SplitMix64: the order of the training texts, from `FineTuneConfiguration.seed`.
struct FineTuneRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension EncoderFineTuner {
    /// Runs the embeddings and the frozen layers once over `texts`, keeping every token's hidden
    /// state (about 1.5 KB per token for MiniLM).
    /// Throws `.cancelled` when the task is cancelled or `shouldStop` says so.
    func checkCancellation() throws(EncoderError) {
        if Task.isCancelled || shouldStop?() == true {
            throw EncoderError(.cancelled, "fine-tuning was cancelled")
        }
    }

    func cacheLowerLayers(_ texts: [String], epochs: Int) throws(EncoderError) -> HiddenStateCache {
        let config = encoder.weights.configuration
        let h = config.hiddenSize
        let ids = texts.map { encoder.tokenizer.encode($0, maxTokens: encoder.configuration.maxTokens) }
        var starts: [Int] = []
        var total = 0
        for textIDs in ids {
            starts.append(total)
            total += textIDs.count
        }
        let states = FloatBuffer(count: total * h)
        let pass = BertForwardPass(weights: encoder.weights)
        let workspace = BertForwardPass.Workspace(
            tokens: encoder.configuration.maxBatchTokens, longestText: ids.map(\.count).max() ?? 0, configuration: config)
        var index = 0
        while index < ids.count {
            try checkCancellation()
            var batch = BertForwardPass.PackedBatch()
            let first = index
            while index < ids.count, batch.count < encoder.configuration.batchSize,
                batch.tokens.count + ids[index].count <= encoder.configuration.maxBatchTokens
            {
                batch.append(ids[index])
                index += 1
            }
            pass.runLayers(batch, count: config.layerCount - tunedCount, workspace: workspace)
            (states.pointer + starts[first] * h).update(from: workspace.hidden, count: batch.tokens.count * h)
            progress?(
                FineTuneProgress(phase: .caching, epoch: 0, epochs: epochs, completed: index, total: ids.count))
        }
        return HiddenStateCache(states: states, starts: starts, lengths: ids.map(\.count))
    }

    /// The tuned layers' forward pass over the batch in `pass.input`.
    func forward(spans: LayerBackpropagation.Spans, layers: [MiniLMWeights.Layer], pass: inout PassBuffers) {
        for (index, layer) in layers.enumerated() {
            let input = index == 0 ? UnsafePointer(pass.input.pointer) : UnsafePointer(pass.activations[index - 1].output.pointer)
            backprop.forward(layer: layer, spans: spans, input: input, saved: pass.activations[index])
        }
    }

    /// Backpropagates the head's gradient (in gradient buffer 0) down the tuned layers, adding
    /// each layer's weight gradients to its state.
    func backward(
        spans: LayerBackpropagation.Spans, layers: [MiniLMWeights.Layer], states: [EncoderFineTuner.LayerState],
        pass: inout PassBuffers
    ) {
        let size = spans.rows * encoder.weights.configuration.hiddenSize
        var current = 0
        for index in layers.indices.reversed() {
            let outputGradient = pass.gradient(current, rows: size)
            let inputGradient = index > 0 ? pass.gradient(1 - current, rows: size) : nil
            backprop.backward(
                layer: layers[index], spans: spans, saved: pass.activations[index], outputGradient: outputGradient,
                gradients: states[index].gradients.pointer, inputGradient: inputGradient, scratch: pass.scratch)
            current = 1 - current
        }
    }

    /// Embeddings of every cached text through `layers` (as inference computes them).
    func embeddings(
        of cache: HiddenStateCache, layers: [MiniLMWeights.Layer], pass: inout PassBuffers
    ) throws(EncoderError) -> [[Float]] {
        let h = encoder.weights.configuration.hiddenSize
        var vectors: [[Float]] = []
        vectors.reserveCapacity(cache.count)
        for batchStart in stride(from: 0, to: cache.count, by: 64) {
            try checkCancellation()
            let batch = Array(batchStart..<min(batchStart + 64, cache.count))
            let spans = pass.load(batch, from: cache, width: h)
            forward(spans: spans, layers: layers, pass: &pass)
            for text in batch.indices {
                vectors.append(
                    EncoderKernels.meanPoolNormalized(
                        rows: spans.lengths[text], width: h, data: pass.top.output.pointer + spans.starts[text] * h))
            }
        }
        return vectors
    }

    /// Held-out accuracy and mean loss through `layers` and `head`; nil without held-out texts.
    func score(
        _ cache: HiddenStateCache, labels: [Int], layers: [MiniLMWeights.Layer], head: PooledSoftmaxHead,
        pass: inout PassBuffers, epoch: Int
    ) throws(EncoderError) -> (accuracy: Double, loss: Double)? {
        guard cache.count > 0 else { return nil }
        let h = encoder.weights.configuration.hiddenSize
        var total = PooledSoftmaxHead.Outcome()
        for batchStart in stride(from: 0, to: cache.count, by: 64) {
            try checkCancellation()
            let batch = Array(batchStart..<min(batchStart + 64, cache.count))
            let spans = pass.load(batch, from: cache, width: h)
            forward(spans: spans, layers: layers, pass: &pass)
            let outcome = head.evaluate(
                hiddenStates: pass.top.output.pointer, spans: spans, labels: batch.map { labels[$0] }, hiddenGradient: nil)
            total.loss += outcome.loss
            total.correct += outcome.correct
            progress?(
                FineTuneProgress(
                    phase: .validating, epoch: epoch, epochs: configuration.epochs, completed: batch.last! + 1,
                    total: cache.count))
        }
        let accuracy = Double(total.correct) / Double(cache.count)
        let loss = total.loss / Double(cache.count)
        progress?(
            FineTuneProgress(
                phase: .validating, epoch: epoch, epochs: configuration.epochs, completed: cache.count, total: cache.count,
                heldOutAccuracy: accuracy, heldOutLoss: loss))
        return (accuracy, loss)
    }
}
