import Content
import Encoder
import Foundation
import Logging

/// The router's intent classifier: a softmax head over a MiniLM sentence embedding (when an
/// encoder is available) and hashed word and character n-grams, with a calibrated out-of-scope
/// threshold. Immutable once trained, so one instance can serve any number of concurrent
/// requests; retraining builds a new instance that callers swap in.
public final class IntentClassifier: Sendable {
    /// In-scope intent names, in the order of the model's classes.
    public let intents: [String]
    /// Confidence below which a message is `out_of_scope`.
    public let threshold: Double
    /// When to ask which of the top two intents was meant (margin calibrated at training).
    public let clarification: ClarificationRule
    /// `IntentSet.contentHash` of the content the model was trained on.
    public let contentHash: String
    /// `TextEmbedder.identity` of the encoder the model was trained with, or nil (lexical only).
    public let encoderIdentity: String?
    /// The settings the model was trained with.
    public let configuration: ClassifierConfiguration
    /// Epochs of the final training run (chosen by early stopping).
    public let trainedEpochs: Int
    /// Accuracy on the held-out split at the chosen epoch, when there was one.
    public let validationAccuracy: Double?

    /// The encoder's fine-tuned top layers (`train --fine-tune`), or nil for a head-only model.
    public let tunedLayers: TunedLayers?

    let fitted: FittedModel
    private let embedder: (any TextEmbedder)?

    init(artifact: ClassifierArtifact, embedder: (any TextEmbedder)?) {
        intents = artifact.intents
        threshold = artifact.threshold
        clarification = ClarificationRule(margin: artifact.clarifyMargin)
        contentHash = artifact.contentHash
        encoderIdentity = artifact.encoderIdentity
        configuration = artifact.configuration
        trainedEpochs = artifact.trainedEpochs
        validationAccuracy = artifact.validationAccuracy
        fitted = artifact.fitted
        tunedLayers = artifact.tuned
        self.embedder = artifact.encoderIdentity == nil ? nil : embedder
    }

    /// The embedder predictions use, when the model needs one.
    var embedderForEvaluation: (any TextEmbedder)? { embedder }

    /// Whether predictions need a sentence embedding of the message.
    public var usesEmbeddings: Bool { fitted.usesEmbeddings }

    /// Trains a classifier on `intents` (embedding every example with `embedder` when given),
    /// choosing the epoch count by early stopping and calibrating the out-of-scope threshold on a
    /// held-out split. Deterministic for a given content, encoder and `configuration.seed`.
    public static func train(
        _ intents: IntentSet, embedder: (any TextEmbedder)?, configuration: ClassifierConfiguration = .init(),
        logger: Logger = Logger(label: "supportbot.classifier", factory: { _ in SwiftLogNoOpLogHandler() }),
        progress: (@Sendable (TrainingProgress) -> Void)? = nil
    ) throws(ClassifierError) -> IntentClassifier {
        try configuration.validate()
        var data = try TrainingData(intents)
        if let embedder {
            data.embeddings = try EmbeddingBatcher.embed(data.texts, with: embedder)
        }
        return train(
            data, contentHash: intents.contentHash, embedder: embedder, tuned: nil, configuration: configuration, logger: logger,
            progress: progress)
    }

    /// The head's training on prepared data (embeddings attached, from `embedder`).
    static func train(
        _ data: TrainingData, contentHash: String, embedder: (any TextEmbedder)?, tuned: TunedLayers?,
        configuration: ClassifierConfiguration, logger: Logger, progress: (@Sendable (TrainingProgress) -> Void)?
    ) -> IntentClassifier {
        let result = ClassifierTrainer(configuration: configuration, logger: logger).train(data, progress: progress)
        let artifact = ClassifierArtifact(
            intents: data.intentNames, contentHash: contentHash, encoderIdentity: embedder?.identity,
            threshold: result.threshold, clarifyMargin: result.clarifyMargin, configuration: configuration,
            trainedEpochs: result.epochs,
            validationAccuracy: result.validationAccuracy, fitted: result.fitted, tuned: tuned)
        return IntentClassifier(artifact: artifact, embedder: embedder)
    }

    /// The same model answering with another out-of-scope threshold (weights unchanged): for
    /// benchmarks that sweep the threshold, and for operators who want a stricter or looser bot.
    public func withThreshold(_ threshold: Double) -> IntentClassifier {
        var copy = artifact
        copy.threshold = threshold
        return IntentClassifier(artifact: copy, embedder: embedder)
    }

    /// Classifies one message, embedding it first when the model uses embeddings.
    public func predict(_ text: String) -> Prediction {
        predict(text, embedding: nil)
    }

    /// Classifies one message with an embedding the caller computed (e.g. batched across
    /// requests). With a nil or wrongly sized embedding the classifier embeds the text itself.
    public func predict(_ text: String, embedding: [Float]?) -> Prediction {
        var vector = embedding
        if usesEmbeddings, vector?.count != fitted.model.denseDimension {
            vector = embedder?.embed([text]).first
        }
        return prediction(fitted.probabilities(text, embedding: vector), similarity: fitted.similarity(vector))
    }

    /// Classifies several messages, embedding them in one batch.
    public func predictBatch(_ texts: [String]) -> [Prediction] {
        guard usesEmbeddings, let embedder, !texts.isEmpty else {
            return texts.map { predict($0, embedding: nil) }
        }
        let embeddings = embedder.embed(texts)
        return texts.indices.map { i in
            let embedding = i < embeddings.count ? embeddings[i] : nil
            return prediction(fitted.probabilities(texts[i], embedding: embedding), similarity: fitted.similarity(embedding))
        }
    }

    /// Applies the threshold and ranks the in-scope candidates.
    func prediction(_ probabilities: [Float], similarity: Float?) -> Prediction {
        let decision = fitted.decision(probabilities, similarity: similarity)
        var top: [Int] = []
        for k in 0..<fitted.inScopeClasses {
            let position = top.firstIndex { probabilities[k] > probabilities[$0] } ?? top.count
            if position < ClassifierConstants.topCount {
                top.insert(k, at: position)
                if top.count > ClassifierConstants.topCount { top.removeLast() }
            }
        }
        let accepted = decision.score >= 0 && Double(decision.score) >= threshold
        return Prediction(
            intent: accepted ? intents[decision.best] : ClassifierConstants.outOfScope,
            confidence: Double(decision.confidence),
            top: top.map { ScoredIntent(name: intents[$0], confidence: Double(probabilities[$0])) },
            similarity: similarity.map(Double.init))
    }

    /// The two intents to offer when `prediction` is too close to call between its top two, or
    /// nil when it is not (see `ClarificationRule`).
    public func clarificationOptions(for prediction: Prediction) -> [ScoredIntent]? {
        guard prediction.top.count >= 2 else { return nil }
        let first = prediction.top[0]
        let second = prediction.top[1]
        guard
            clarification.applies(
                first: first.confidence, second: second.confidence, threshold: threshold, similarity: prediction.similarity)
        else {
            return nil
        }
        return [first, second]
    }

    /// Why this model should be retrained for `intents` and `embedder`, or nil when it is up to
    /// date: the content changed, or the encoder it was trained with is not the one given.
    public func staleness(for intents: IntentSet, embedder: (any TextEmbedder)?) -> String? {
        if intents.contentHash != contentHash {
            return "the intents changed since training (content hash \(intents.contentHash.prefix(12)), "
                + "model trained on \(contentHash.prefix(12)))"
        }
        // A fine-tuned model runs its own top layers on the loaded (base) encoder.
        switch (tunedLayers?.baseIdentity ?? encoderIdentity, embedder?.identity) {
        case (nil, nil):
            return nil
        case let (trained?, nil):
            return "the model was trained with encoder \(trained), which is not loaded"
        case let (nil, available?):
            return "the model was trained without an encoder; encoder \(available) is now available"
        case let (trained?, available?):
            return trained == available ? nil : "the encoder changed from \(trained) to \(available)"
        }
    }
}
