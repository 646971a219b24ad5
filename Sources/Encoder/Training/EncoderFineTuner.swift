import COpenBLAS

extension MiniLMEncoder {
    /// Fine-tunes this encoder's top `configuration.tunedLayers` layers so that its embeddings
    /// separate `labels` (0..<classCount): cross-entropy through a softmax head over the pooled,
    /// normalised embedding, AdamW with warm-up and linear decay, one epoch after another until
    /// the held-out accuracy stops improving. The lower layers run once per text and are cached.
    /// Deterministic for the same inputs, settings and seed. Stops between steps, throwing
    /// `.cancelled`, when the calling task is cancelled or `shouldStop` returns true (for work
    /// run off the Swift concurrency pool); throws `.invalidTraining` for empty or mislabelled data.
    public func fineTune(
        texts: [String], labels: [Int], heldOutTexts: [String] = [], heldOutLabels: [Int] = [], classCount: Int,
        configuration: FineTuneConfiguration = .init(), shouldStop: (@Sendable () -> Bool)? = nil,
        progress: (@Sendable (FineTuneProgress) -> Void)? = nil
    ) throws(EncoderError) -> FineTuneResult {
        guard baseIdentity == nil else {
            throw EncoderError(.invalidTraining, "fine-tune the base encoder, not one that already runs tuned layers")
        }
        guard !texts.isEmpty, texts.count == labels.count, heldOutTexts.count == heldOutLabels.count, classCount > 0,
            (labels + heldOutLabels).allSatisfy({ (0..<classCount).contains($0) })
        else {
            throw EncoderError(
                .invalidTraining,
                "fine-tuning needs texts with labels in 0..<\(classCount) (got \(texts.count) texts, \(labels.count) labels)")
        }
        guard configuration.tunedLayers > 0, configuration.epochs > 0, configuration.batchSize > 0 else {
            throw EncoderError(.invalidTraining, "tunedLayers, epochs and batchSize must be positive")
        }
        if let threads = configuration.threads, threads > 0 {
            openblas_set_num_threads(Int32(threads))
        }
        defer {
            if configuration.threads != nil { openblas_set_num_threads(Int32(self.configuration.threads)) }
        }
        var tuner = EncoderFineTuner(encoder: self, configuration: configuration, shouldStop: shouldStop, progress: progress)
        return try tuner.run(
            train: (texts, labels), heldOut: (heldOutTexts, heldOutLabels), classCount: classCount)
    }
}

/// The fine-tuning loop behind `MiniLMEncoder.fineTune`.
struct EncoderFineTuner {
    let encoder: MiniLMEncoder
    let configuration: FineTuneConfiguration
    let progress: (@Sendable (FineTuneProgress) -> Void)?
    let shouldStop: (@Sendable () -> Bool)?
    let backprop: LayerBackpropagation
    let tunedCount: Int

    init(
        encoder: MiniLMEncoder, configuration: FineTuneConfiguration, shouldStop: (@Sendable () -> Bool)?,
        progress: (@Sendable (FineTuneProgress) -> Void)?
    ) {
        self.encoder = encoder
        self.shouldStop = shouldStop
        self.configuration = configuration
        self.progress = progress
        backprop = LayerBackpropagation(configuration: encoder.weights.configuration)
        tunedCount = min(configuration.tunedLayers, encoder.weights.configuration.layerCount)
    }

    /// The tuned layers' weights, gradients and AdamW moments, one flat buffer each per layer.
    struct LayerState {
        let parameters: FloatBuffer
        let gradients: FloatBuffer
        let first: FloatBuffer
        let second: FloatBuffer
    }

    mutating func run(
        train: (texts: [String], labels: [Int]), heldOut: (texts: [String], labels: [Int]), classCount: Int
    ) throws(EncoderError) -> FineTuneResult {
        let config = encoder.weights.configuration
        let layout = backprop.layout
        let epochs = configuration.epochs
        let trainCache = try cacheLowerLayers(train.texts, epochs: epochs)
        let heldOutCache = try cacheLowerLayers(heldOut.texts, epochs: epochs)
        let firstTuned = config.layerCount - tunedCount
        let states = (0..<tunedCount).map { index in
            let parameters = FloatBuffer(count: layout.count)
            layout.copy(encoder.weights.layers[firstTuned + index], into: parameters.pointer)
            return LayerState(
                parameters: parameters, gradients: FloatBuffer(count: layout.count), first: FloatBuffer(count: layout.count),
                second: FloatBuffer(count: layout.count))
        }
        let layers = states.map { layout.layer(reading: $0.parameters.pointer) }
        var pass = PassBuffers(tunedCount: tunedCount)

        let initial = try embeddings(of: trainCache, layers: layers, pass: &pass)
        let head = PooledSoftmaxHead(
            centroidsOf: initial, labels: train.labels, classes: classCount, scale: configuration.headScale)
        let headFirst = FloatBuffer(count: head.parameters.count)
        let headSecond = FloatBuffer(count: head.parameters.count)
        let before = try score(heldOutCache, labels: heldOut.labels, layers: layers, head: head, pass: &pass, epoch: 0)

        var generator = FineTuneRandom(seed: configuration.seed)
        var order = Array(train.texts.indices)
        let batchSize = configuration.batchSize
        let stepsPerEpoch = (order.count + batchSize - 1) / batchSize
        let totalSteps = stepsPerEpoch * epochs
        let warmup = max(1, Int(Float(totalSteps) * configuration.warmupFraction))
        let optimizer = AdamW(weightDecay: configuration.weightDecay)
        let best = FloatBuffer(count: layout.count * tunedCount)
        var bestEpoch = 0
        var bestScore = (accuracy: -1.0, loss: Double.infinity)
        var records: [FineTuneResult.Epoch] = []
        var step = 0
        for epoch in 1...epochs {
            order.shuffle(using: &generator)
            var lossSum = 0.0
            var seen = 0
            for batchStart in stride(from: 0, to: order.count, by: batchSize) {
                try checkCancellation()
                let batch = Array(order[batchStart..<min(batchStart + batchSize, order.count)])
                let labels = batch.map { train.labels[$0] }
                let spans = pass.load(batch, from: trainCache, width: config.hiddenSize)
                forward(spans: spans, layers: layers, pass: &pass)
                let outcome = head.evaluate(
                    hiddenStates: pass.top.output.pointer, spans: spans, labels: labels,
                    hiddenGradient: pass.gradient(0, rows: spans.rows * config.hiddenSize))
                backward(spans: spans, layers: layers, states: states, pass: &pass)
                step += 1
                let rate =
                    step <= warmup ? Float(step) / Float(warmup) : Float(totalSteps - step) / Float(max(1, totalSteps - warmup))
                for state in states {
                    optimizer.update(
                        parameters: state.parameters.pointer, gradients: state.gradients.pointer, first: state.first.pointer,
                        second: state.second.pointer, count: layout.count, learningRate: configuration.learningRate * rate,
                        step: step)
                    state.gradients.zero()
                }
                optimizer.update(
                    parameters: head.parameters.pointer, gradients: head.gradients.pointer, first: headFirst.pointer,
                    second: headSecond.pointer, count: head.parameters.count, learningRate: configuration.headLearningRate * rate,
                    step: step)
                head.gradients.zero()
                lossSum += outcome.loss
                seen += batch.count
                progress?(
                    FineTuneProgress(
                        phase: .training, epoch: epoch, epochs: epochs, completed: seen, total: order.count,
                        trainingLoss: lossSum / Double(seen)))
            }
            let scored = try score(heldOutCache, labels: heldOut.labels, layers: layers, head: head, pass: &pass, epoch: epoch)
            records.append(
                FineTuneResult.Epoch(
                    trainingLoss: lossSum / Double(max(seen, 1)), heldOutLoss: scored?.loss, heldOutAccuracy: scored?.accuracy))
            let current = scored ?? (accuracy: 0, loss: 0)
            if scored == nil || current.accuracy > bestScore.accuracy
                || (current.accuracy == bestScore.accuracy && current.loss < bestScore.loss)
            {
                bestScore = current
                bestEpoch = epoch
                for (index, state) in states.enumerated() {
                    (best.pointer + index * layout.count).update(from: state.parameters.pointer, count: layout.count)
                }
            } else if epoch - bestEpoch >= max(configuration.patience, 1) {
                break
            }
        }
        let tuned = TunedLayers(
            baseIdentity: encoder.identity, layerCount: tunedCount, hiddenSize: config.hiddenSize,
            intermediateSize: config.intermediateSize, storage: best)
        return FineTuneResult(
            tuned: tuned, epochs: records, bestEpoch: bestEpoch, initialHeldOutLoss: before?.loss,
            initialHeldOutAccuracy: before?.accuracy)
    }
}
