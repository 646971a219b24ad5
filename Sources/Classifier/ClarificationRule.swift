/// When the classifier should ask instead of answer: the two best intents together are
/// confident (their probabilities add up to at least the out-of-scope threshold), the second is
/// plausible on its own, and they are closer than the margin. The margin is calibrated on the
/// held-out split at training time (`ClarificationCalibrator`) and stored with the model, so the
/// rule the assistant applies is the one that was tuned.
public struct ClarificationRule: Sendable, Hashable {
    /// Largest gap between the top two probabilities that still asks which one was meant.
    public var margin: Double
    /// The second intent must reach this probability to be offered at all. Default 0.15.
    public var minimumSecond: Double

    public init(margin: Double, minimumSecond: Double = 0.15) {
        self.margin = margin
        self.minimumSecond = minimumSecond
    }

    /// Whether top probabilities `first` ≥ `second` call for a clarifying question, given the
    /// out-of-scope `threshold`. With `similarity` (the cosine to the nearest training example,
    /// when the model's decision reads it) their sum is combined with it as the decision
    /// combines the top probability, so both meet the threshold on one scale.
    public func applies(first: Double, second: Double, threshold: Double, similarity: Double? = nil) -> Bool {
        let together = similarity.map { (first + second + max($0, 0)) / 2 } ?? first + second
        return together >= threshold && second >= minimumSecond && first - second < margin
    }
}

/// Chooses the clarification margin from held-out predictions. Asking rescues a customer whose
/// intent was the second guess (worth 1) but costs one extra turn to a customer whose intent was
/// the first guess (worth `annoyanceCost`); the margin maximises rescued − cost × annoyed over a
/// grid. A held-out split holds few close calls, so the estimate is shrunk towards
/// `defaultMargin` in proportion to the evidence (n close calls weigh n against `priorWeight`):
/// small content edits then move the margin a little, not from 0.18 to 0.04. With fewer than
/// `minimumEvidence` close calls it keeps `defaultMargin`.
struct ClarificationCalibrator: Sendable {
    /// One held-out in-scope example: its two best probabilities and which of them was right.
    struct Sample: Sendable {
        var first: Double
        var second: Double
        var firstCorrect: Bool
        var secondCorrect: Bool
        /// Cosine to the nearest training example, when the decision reads it.
        var similarity: Double? = nil
    }

    /// Cost of a clarifying question the customer did not need, relative to a rescued answer.
    var annoyanceCost = 0.5
    /// Margins tried: 0, 0.02, …, 0.40.
    var grid: [Double] = (0...20).map { Double($0) / 50 }
    /// Ambiguous held-out examples needed before the data overrides `defaultMargin`.
    var minimumEvidence = 5
    /// The margin used when the held-out split is too small to calibrate. Default 0.1.
    var defaultMargin = 0.1
    /// How many close calls the default is worth when blending it with the estimate. Default 40.
    var priorWeight = 40.0
    var minimumSecond = 0.15

    func margin(_ samples: [Sample], threshold: Double) -> Double {
        let widest = ClarificationRule(margin: grid.last ?? 0, minimumSecond: minimumSecond)
        let candidates = samples.filter {
            widest.applies(first: $0.first, second: $0.second, threshold: threshold, similarity: $0.similarity)
        }
        let informative = candidates.filter { $0.firstCorrect || $0.secondCorrect }
        guard informative.count >= minimumEvidence else { return defaultMargin }
        var best = (margin: 0.0, gain: 0.0)
        for margin in grid {
            let rule = ClarificationRule(margin: margin, minimumSecond: minimumSecond)
            var gain = 0.0
            for sample in informative
            where rule.applies(first: sample.first, second: sample.second, threshold: threshold, similarity: sample.similarity) {
                gain += sample.firstCorrect ? -annoyanceCost : 1
            }
            if gain > best.gain { best = (margin, gain) }
        }
        let evidence = Double(informative.count)
        return (evidence * best.margin + priorWeight * defaultMargin) / (evidence + priorWeight)
    }
}
