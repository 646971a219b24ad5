/// How well a classifier does on examples it did not train on (cross-validation folds or a test
/// set): in-scope accuracy at the calibrated threshold, macro F1, per-intent precision / recall /
/// F1, the most confused pairs, out-of-scope recall and threshold-free AUROC. `Codable` for
/// `--json`; `table()` renders it for people.
public struct Evaluation: Sendable, Hashable, Codable {
    /// Precision, recall and F1 of one intent (or of `out_of_scope`).
    public struct IntentScore: Sendable, Hashable, Codable {
        public var intent: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Examples of this intent evaluated.
        public var support: Int

        public init(intent: String, precision: Double, recall: Double, f1: Double, support: Int) {
            self.intent = intent
            self.precision = precision
            self.recall = recall
            self.f1 = f1
            self.support = support
        }
    }

    /// How often examples of `expected` were classified as `predicted`.
    public struct Confusion: Sendable, Hashable, Codable {
        public var expected: String
        public var predicted: String
        public var count: Int

        public init(expected: String, predicted: String, count: Int) {
            self.expected = expected
            self.predicted = predicted
            self.count = count
        }
    }

    /// "cross-validation" or "test set".
    public var method: String
    /// Folds of cross-validation, nil for a test set.
    public var folds: Int?
    /// In-scope examples evaluated.
    public var inScopeExamples: Int
    /// `out_of_scope` examples evaluated.
    public var outOfScopeExamples: Int
    /// The threshold used (the mean of the folds' thresholds for cross-validation).
    public var threshold: Double
    /// Share of in-scope examples given the right intent and accepted by the threshold.
    public var accuracy: Double
    /// Share of in-scope examples whose top in-scope intent is right, ignoring the threshold.
    public var topIntentAccuracy: Double
    /// Unweighted mean of the in-scope intents' F1 (out-of-scope predictions count as misses).
    public var macroF1: Double
    /// Share of `out_of_scope` examples rejected, nil without such examples.
    public var outOfScopeRecall: Double?
    /// Probability that an in-scope example gets a higher out-of-scope decision score than an
    /// out-of-scope one (threshold-free), nil without out-of-scope examples.
    public var auroc: Double?
    /// One entry per in-scope intent, in intent order.
    public var perIntent: [IntentScore]
    /// The most frequent mistakes, most frequent first (at most ten).
    public var confusions: [Confusion]
    /// Every evaluated example, for reports (not part of the JSON form).
    public var outcomes: [Outcome] = []

    /// One evaluated example.
    public struct Outcome: Sendable, Hashable {
        public var text: String
        /// The labelled intent (`out_of_scope` for one to refuse).
        public var expected: String
        /// What the classifier answered after the threshold.
        public var predicted: String
        /// The top in-scope intent before the threshold.
        public var top: String
        /// Its probability.
        public var confidence: Double
        /// The out-of-scope decision score the threshold applies to.
        public var score: Double
    }

    enum CodingKeys: String, CodingKey {
        case method, folds, inScopeExamples, outOfScopeExamples, threshold, accuracy, topIntentAccuracy, macroF1
        case outOfScopeRecall, auroc, perIntent, confusions
    }
}
