/// One intent and the classifier's probability for it.
public struct ScoredIntent: Sendable, Hashable, Codable {
    /// Intent name.
    public var name: String
    /// Probability in 0...1.
    public var confidence: Double

    public init(name: String, confidence: Double) {
        self.name = name
        self.confidence = confidence
    }
}

/// What the classifier thinks a message is: the routing decision (with out-of-scope applied)
/// plus the ranked in-scope candidates, so callers can log, explain or disambiguate.
public struct Prediction: Sendable, Hashable {
    /// The top intent, or `out_of_scope` when its confidence is below the threshold.
    public var intent: String
    /// The top in-scope intent's probability (also when `intent` is `out_of_scope`).
    public var confidence: Double
    /// The best in-scope candidates (up to five), best first, before the threshold is applied.
    public var top: [ScoredIntent]
    /// Cosine of the message with the nearest training example, when the model's out-of-scope
    /// decision reads it (`ClassifierConfiguration.similarityInDecision`); nil otherwise.
    public var similarity: Double?

    public init(intent: String, confidence: Double, top: [ScoredIntent], similarity: Double? = nil) {
        self.similarity = similarity
        self.intent = intent
        self.confidence = confidence
        self.top = top
    }

    /// Whether the message was judged out of scope.
    public var isOutOfScope: Bool { intent == ClassifierConstants.outOfScope }
}

/// Reported once per training epoch so a CLI can draw a progress bar.
public struct TrainingProgress: Sendable, Hashable {
    /// Which run this epoch belongs to.
    public enum Phase: String, Sendable, Hashable {
        /// Training on most of the data while watching the held-out split.
        case validation
        /// The final run on all the data for the chosen number of epochs.
        case final
    }

    public var phase: Phase
    /// 1-based epoch number within the phase.
    public var epoch: Int
    /// Epochs planned for the phase (the maximum during `validation`).
    public var epochs: Int
    /// Mean training cross-entropy of the epoch.
    public var loss: Double
    /// Held-out accuracy after the epoch (`nil` in the final phase, which has no held-out data).
    public var validationAccuracy: Double?

    public init(phase: Phase, epoch: Int, epochs: Int, loss: Double, validationAccuracy: Double?) {
        self.phase = phase
        self.epoch = epoch
        self.epochs = epochs
        self.loss = loss
        self.validationAccuracy = validationAccuracy
    }
}
