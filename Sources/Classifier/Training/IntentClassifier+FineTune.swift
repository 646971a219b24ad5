import Content
import Encoder
import Logging

extension IntentClassifier {
    /// Trains a classifier whose encoder is fine-tuned on `intents`: the encoder's top layers
    /// learn to separate the intents (`MiniLMEncoder.fineTune`, early-stopped on the same
    /// held-out split the head's training then uses for its epochs and threshold, so the
    /// calibration sees texts the tuned encoder never trained on), then the usual head is trained
    /// on the tuned embeddings and n-grams, with the out-of-scope threshold calibrated on the
    /// held-out split and the `out_of_scope` examples only: leave-some-intents-out negatives are
    /// not novel to an encoder tuned on those very intents, and with them the threshold came out
    /// far too strict (CLINC150 validation split: 88.8 % in-scope accuracy against 96.9 % without
    /// them, `docs/classifier.md`). The tuned layers are stored in the model artifact;
    /// loading it needs the same base encoder. Deterministic for a given content, encoder,
    /// configurations and seed. Throws `.cancelled` when its task is
    /// cancelled or `shouldStop` returns true.
    public static func trainFineTuned(
        _ intents: IntentSet, encoder: MiniLMEncoder, configuration: ClassifierConfiguration = .init(),
        fineTuning: FineTuneConfiguration = .init(),
        logger: Logger = Logger(label: "supportbot.classifier", factory: { _ in SwiftLogNoOpLogHandler() }),
        shouldStop: (@Sendable () -> Bool)? = nil, fineTuneProgress: (@Sendable (FineTuneProgress) -> Void)? = nil,
        progress: (@Sendable (TrainingProgress) -> Void)? = nil
    ) throws(ClassifierError) -> (classifier: IntentClassifier, fineTune: FineTuneResult) {
        var configuration = configuration
        configuration.leaveOutGroups = 0
        try configuration.validate()
        var data = try TrainingData(intents)
        // The same split ClassifierTrainer draws first from the same seed.
        var generator = SeededGenerator(seed: configuration.seed)
        let split = data.split(heldOutFraction: configuration.validationFraction, generator: &generator)
        let heldOut = configuration.validationFraction > 0 ? split.heldOut : []
        let train = configuration.validationFraction > 0 ? split.train : Array(data.texts.indices)
        let result: FineTuneResult
        do {
            result = try encoder.fineTune(
                texts: train.map { data.texts[$0] }, labels: train.map { data.labels[$0] },
                heldOutTexts: heldOut.map { data.texts[$0] }, heldOutLabels: heldOut.map { data.labels[$0] },
                classCount: data.intentNames.count + 1, configuration: fineTuning, shouldStop: shouldStop,
                progress: fineTuneProgress)
        } catch {
            let code: ClassifierError.Code = error.code == .cancelled ? .cancelled : .invalidConfiguration
            throw ClassifierError(code, "fine-tuning failed: \(error.message)")
        }
        let tunedEncoder: MiniLMEncoder
        do {
            tunedEncoder = try encoder.applying(result.tuned)
        } catch {
            throw ClassifierError(.embedderMismatch, "fine-tuning produced unusable layers: \(error.message)")
        }
        logger.info(
            "classifier.fine_tune.finished",
            metadata: [
                "classifier.tuned_layers": "\(result.tuned.layerCount)", "classifier.best_epoch": "\(result.bestEpoch)",
                "classifier.encoder": "\(tunedEncoder.identity)",
            ])
        data.embeddings = try EmbeddingBatcher.embed(data.texts, with: tunedEncoder)
        let classifier = IntentClassifier.train(
            data, contentHash: intents.contentHash, embedder: tunedEncoder, tuned: result.tuned, configuration: configuration,
            logger: logger, progress: progress)
        return (classifier, result)
    }
}
