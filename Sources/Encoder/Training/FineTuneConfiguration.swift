/// Settings of `MiniLMEncoder.fineTune`. The defaults are the recipe `bench/clinc150` measures:
/// the top two of MiniLM's six layers tuned with cross-entropy for up to four epochs.
public struct FineTuneConfiguration: Sendable, Equatable {
    /// How many of the encoder's top layers are trained; the layers below run once per text
    /// and their output is cached. Default 2 (of 6): most of the gain for a third of the cost.
    public var tunedLayers: Int
    /// Most passes over the training texts. Default 4.
    public var epochs: Int
    /// Stop after this many epochs without a better held-out accuracy. Default 1.
    public var patience: Int
    /// Peak AdamW learning rate of the encoder layers (linear warm-up, then linear decay).
    /// Default 3e-4, chosen on CLINC150's validation split among 1e-4 and 3e-4 (higher top-intent
    /// accuracy and out-of-scope recall at the same in-scope accuracy; `docs/classifier.md`).
    public var learningRate: Float
    /// Learning rate of the throw-away softmax head. Default 2e-3.
    public var headLearningRate: Float
    /// Decoupled weight decay. Default 0.01.
    public var weightDecay: Float
    /// Fraction of all steps spent warming the learning rate up. Default 0.1.
    public var warmupFraction: Float
    /// Texts per optimiser step. Default 32.
    public var batchSize: Int
    /// Initial logit scale of the head (cosine to each class centroid times this). Default 20.
    public var headScale: Float
    /// Seeds the order of the texts; the same data, settings and seed give the same weights
    /// (with the same number of BLAS threads).
    public var seed: UInt64
    /// OpenBLAS threads while tuning, restored to the encoder's own setting afterwards. OpenBLAS
    /// keeps the setting process-wide, so a server tuning in the background leaves it nil (the
    /// encoder's setting, one thread by default, leaving the other cores to requests); the
    /// `train` command uses every core. Default nil.
    public var threads: Int?

    /// Creates a configuration; every argument defaults to the documented value.
    public init(
        tunedLayers: Int = 2, epochs: Int = 4, patience: Int = 1, learningRate: Float = 3e-4,
        headLearningRate: Float = 2e-3, weightDecay: Float = 0.01, warmupFraction: Float = 0.1, batchSize: Int = 32,
        headScale: Float = 20, seed: UInt64 = 1, threads: Int? = nil
    ) {
        self.threads = threads
        self.tunedLayers = tunedLayers
        self.epochs = epochs
        self.patience = patience
        self.learningRate = learningRate
        self.headLearningRate = headLearningRate
        self.weightDecay = weightDecay
        self.warmupFraction = warmupFraction
        self.batchSize = batchSize
        self.headScale = headScale
        self.seed = seed
    }
}

/// Where fine-tuning is, for progress bars and logs.
public struct FineTuneProgress: Sendable {
    /// What is running.
    public enum Phase: String, Sendable {
        /// Running the frozen lower layers once over every text.
        case caching
        /// Training on the training texts.
        case training
        /// Scoring the held-out texts after an epoch.
        case validating
    }

    public var phase: Phase
    /// 1-based epoch (0 while caching).
    public var epoch: Int
    public var epochs: Int
    /// Texts done of `total` in this phase.
    public var completed: Int
    public var total: Int
    /// Mean training loss so far in this epoch.
    public var trainingLoss: Double?
    /// After validating: held-out accuracy and loss of this epoch.
    public var heldOutAccuracy: Double?
    public var heldOutLoss: Double?
}

/// What fine-tuning produced and how it went.
public struct FineTuneResult: Sendable {
    /// One epoch's figures.
    public struct Epoch: Sendable, Equatable {
        public var trainingLoss: Double
        public var heldOutLoss: Double?
        public var heldOutAccuracy: Double?
    }

    /// The weights of the best epoch (by held-out accuracy, then loss; the last without held-out texts).
    public var tuned: TunedLayers
    public var epochs: [Epoch]
    /// 1-based epoch whose weights were kept.
    public var bestEpoch: Int
    /// Held-out loss and accuracy of the base encoder with the initial head, before any step.
    public var initialHeldOutLoss: Double?
    public var initialHeldOutAccuracy: Double?
}
