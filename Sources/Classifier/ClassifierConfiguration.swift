/// Training settings of the intent classifier. Every field has a documented default chosen to
/// work across intent sets of a few to a few hundred intents; the CLI may override them.
public struct ClassifierConfiguration: Sendable, Hashable, Codable {
    /// Seed of every random choice (held-out split, shuffles, dropout). Default 42. Training is
    /// deterministic: the same content, encoder and seed give a byte-identical artifact.
    public var seed: UInt64 = 42
    /// Most passes over the training data. Default 40. Early stopping usually ends sooner.
    public var epochs: Int = 40
    /// Epochs without improvement on the held-out split before stopping. Default 4.
    public var patience: Int = 4
    /// Adam step size. Default 0.005.
    public var learningRate: Double = 0.005
    /// L2 penalty on the weights (added to the gradient of every updated weight). Default 1e-6.
    public var l2: Double = 1e-6
    /// Probability of dropping each input feature during training. Default 0.1.
    public var dropout: Double = 0.1
    /// Examples per Adam step. Default 32.
    public var batchSize: Int = 32
    /// Size of the hash space of the word and of the character n-gram block. Default 2^20;
    /// only buckets that occur in training get a weight row.
    public var hashBuckets: Int = 1 << 20
    /// Fewest training examples an n-gram must occur in to get a weight row. Default 1.
    public var minimumNGramCount: Int = 1
    /// Word n-gram orders. Default 1...2.
    public var wordNGrams: ClosedRange<Int> = 1...2
    /// Character n-gram orders (inside words, with boundary marks). Default 3...5.
    public var charNGrams: ClosedRange<Int> = 3...5
    /// Length of the sentence embedding relative to each lexical block (each block has unit
    /// length before scaling). Default 2: the embedding weighs as much as the two lexical blocks
    /// together (whose combined length is √2) plus a margin, since it generalises across
    /// paraphrases that share no words; 1 and 3 both measured worse on held-out data.
    public var embeddingWeight: Double = 2
    /// Fraction of each intent's examples held out to choose the epoch count and calibrate the
    /// out-of-scope threshold. Default 0.1 (at least one example per intent).
    public var validationFraction: Double = 0.1
    /// Whether `out_of_scope` examples, when present, are also learned as an extra class (they
    /// always take part in threshold calibration). Default true.
    public var outOfScopeClass: Bool = true
    /// How much one rejected out-of-scope example is worth against one accepted in-scope example
    /// when the threshold is calibrated on held-out data (`out_of_scope` examples present): the
    /// threshold maximises in-scope accuracy plus this weight × out-of-scope recall, up to the
    /// `inScopeRejection` cap. Default 1.
    public var outOfScopeWeight: Double = 1
    /// The threshold never rejects more than this fraction of the held-out in-scope examples the
    /// model classifies correctly. Default 0.005 (one answerable message in 200): wrongly
    /// refusing a customer who asked something the bot knows costs as much as the refusals of
    /// true out-of-scope messages gain, and the `out_of_scope` class (when examples exist)
    /// already rejects the messages that resemble them.
    public var inScopeRejection: Double = 0.005
    /// Leave-some-intents-out calibration: the intents are split into this many groups, and for
    /// each a model is trained without that group's examples; those examples then stand for the
    /// requests no intent covers (what real support traffic is full of), as negatives for the
    /// out-of-scope threshold, next to any `out_of_scope` examples. 0 turns it off (the
    /// threshold then only sees `out_of_scope` examples). Default 3.
    public var leaveOutGroups: Int = 3
    /// With embeddings, the out-of-scope score averages the top probability with the cosine to
    /// the nearest training example (stored in the model), and the threshold is calibrated on
    /// that score. Default true: on CLINC150 without out-of-scope data it separates
    /// out-of-scope messages better than the probability alone (`bench/clinc150/ood-scores`).
    public var similarityInDecision = true
    /// With leave-some-intents-out negatives the threshold may reject up to this fraction of
    /// the held-out in-scope examples the model classifies correctly, when that buys more
    /// rejected unknown requests than it costs (weighted by `outOfScopeWeight`). Default 0.1.
    public var inScopeRejectionWithNegatives: Double = 0.1
    /// A fixed threshold that skips calibration, when set. Default nil.
    public var fixedThreshold: Double? = nil

    /// The documented defaults.
    public init() {}
}

extension ClassifierConfiguration {
    /// Throws `.invalidConfiguration` naming the first field outside its allowed range.
    func validate() throws(ClassifierError) {
        func check(_ ok: Bool, _ field: String, _ rule: String) throws(ClassifierError) {
            guard ok else { throw ClassifierError(.invalidConfiguration, "`\(field)` must be \(rule)") }
        }
        try check(epochs >= 1, "epochs", "at least 1, got \(epochs)")
        try check(patience >= 1, "patience", "at least 1, got \(patience)")
        try check(learningRate > 0 && learningRate.isFinite, "learningRate", "positive, got \(learningRate)")
        try check(l2 >= 0 && l2.isFinite, "l2", "zero or positive, got \(l2)")
        try check(dropout >= 0 && dropout < 1, "dropout", "in 0..<1, got \(dropout)")
        try check(batchSize >= 1, "batchSize", "at least 1, got \(batchSize)")
        try check(hashBuckets >= 1 && hashBuckets <= Int(UInt32.max), "hashBuckets", "in 1...2^32-1, got \(hashBuckets)")
        try check(minimumNGramCount >= 1, "minimumNGramCount", "at least 1, got \(minimumNGramCount)")
        try check(wordNGrams.lowerBound >= 1 && wordNGrams.upperBound <= 32, "wordNGrams", "within 1...32, got \(wordNGrams)")
        try check(charNGrams.lowerBound >= 1 && charNGrams.upperBound <= 32, "charNGrams", "within 1...32, got \(charNGrams)")
        try check(embeddingWeight >= 0 && embeddingWeight.isFinite, "embeddingWeight", "zero or positive, got \(embeddingWeight)")
        try check(validationFraction >= 0 && validationFraction < 1, "validationFraction", "in 0..<1, got \(validationFraction)")
        try check(
            outOfScopeWeight >= 0 && outOfScopeWeight.isFinite, "outOfScopeWeight", "zero or positive, got \(outOfScopeWeight)")
        try check(inScopeRejection >= 0 && inScopeRejection < 1, "inScopeRejection", "in 0..<1, got \(inScopeRejection)")
        try check(leaveOutGroups >= 0, "leaveOutGroups", "0 or more, got \(leaveOutGroups)")
        try check(
            inScopeRejectionWithNegatives >= 0 && inScopeRejectionWithNegatives < 1, "inScopeRejectionWithNegatives",
            "in 0..<1, got \(inScopeRejectionWithNegatives)")
        if let fixedThreshold {
            try check(fixedThreshold >= 0 && fixedThreshold <= 1, "fixedThreshold", "in 0...1, got \(fixedThreshold)")
        }
    }
}
