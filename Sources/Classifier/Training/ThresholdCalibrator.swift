/// Chooses the out-of-scope threshold from held-out predictions. The threshold never rejects
/// more than `inScopeRejection` of the held-out in-scope examples the model gets right (the cap);
/// with `out_of_scope` examples it takes the threshold maximising in-scope accuracy plus
/// `outOfScopeWeight` × out-of-scope recall when that is lower than the cap. Calibrating on
/// examples the model did not train on keeps the threshold honest about how confident the model
/// is on new messages.
struct ThresholdCalibrator: Sendable {
    /// One held-out example: its decision score and whether it counts as a success when accepted.
    struct Sample: Sendable {
        /// `FittedModel.decision(_:).score`.
        var score: Float
        /// True for an `out_of_scope` example.
        var isOutOfScope: Bool
        /// For in-scope examples: whether the top intent is the right one.
        var correct: Bool
    }

    var outOfScopeWeight: Double
    var inScopeRejection: Double
    /// The cap when `novel` negatives (leave-some-intents-out) take part.
    var inScopeRejectionWithNegatives: Double = 0.1

    /// The calibrated threshold in 0...1. `novel` are negatives from intents the model was not
    /// trained on (leave-some-intents-out): unlike `out_of_scope` examples, which the learned
    /// out-of-scope class already rejects, they show how confident the model is on requests it
    /// has never seen, so with them the threshold may reject up to
    /// `inScopeRejectionWithNegatives` of the correct in-scope samples.
    func threshold(_ samples: [Sample], novel: [Sample] = []) -> Double {
        let inScope = samples.filter { !$0.isOutOfScope }
        let outOfScope = samples.filter(\.isOutOfScope) + novel
        guard !inScope.isEmpty else { return 0.5 }
        let cap = rejectionLimited(inScope, fraction: novel.isEmpty ? inScopeRejection : inScopeRejectionWithNegatives)
        guard !outOfScope.isEmpty, outOfScopeWeight > 0 else { return rejectionLimited(inScope, fraction: inScopeRejection) }
        return min(cap, balanced(inScope: inScope, outOfScope: outOfScope))
    }

    /// Highest threshold that rejects at most `fraction` of the correct in-scope samples.
    /// When the sample is too small to reject even one (fewer than 1 / `inScopeRejection`), the
    /// threshold is scaled down from the lowest correct score in proportion, as if the scores
    /// continued down to 0: a handful of confident held-out answers must not put the threshold
    /// just under them.
    private func rejectionLimited(_ inScope: [Sample], fraction: Double) -> Double {
        let scores = inScope.filter(\.correct).map { max($0.score, 0) }.sorted()
        guard let lowest = scores.first else { return 0 }
        let position = Double(scores.count) * max(fraction, 0)
        guard position >= 1 else { return Double(lowest) * position }
        let allowed = min(Int(position), scores.count - 1)
        return Double((scores[allowed - 1] + scores[allowed]) / 2)
    }

    /// Threshold maximising accepted-correct in-scope rate + weight × rejected out-of-scope rate.
    /// Among equally good thresholds it takes the middle of the first best run of intervals
    /// between neighbouring scores, so small held-out sets do not push it to an edge.
    private func balanced(inScope: [Sample], outOfScope: [Sample]) -> Double {
        let inScopeUnit = 1 / Double(inScope.count)
        let outOfScopeUnit = outOfScopeWeight / Double(outOfScope.count)
        // Samples with a negative score are rejected whatever the threshold.
        let ranked = (inScope + outOfScope).filter { $0.score >= 0 }.sorted { $0.score < $1.score }
        var value =
            Double(ranked.filter { !$0.isOutOfScope && $0.correct }.count) * inScopeUnit
            + Double(outOfScope.filter { $0.score < 0 }.count) * outOfScopeUnit
        // intervals[i] = (low, high, value): thresholds in (low, high] give `value`.
        var intervals: [(low: Float, high: Float, value: Double)] = [(0, ranked.first?.score ?? 1, value)]
        var index = 0
        while index < ranked.count {
            let score = ranked[index].score
            while index < ranked.count, ranked[index].score == score {
                if ranked[index].isOutOfScope { value += outOfScopeUnit }
                if !ranked[index].isOutOfScope, ranked[index].correct { value -= inScopeUnit }
                index += 1
            }
            intervals.append((score, index < ranked.count ? ranked[index].score : 1, value))
        }
        let best = intervals.map(\.value).max() ?? 0
        guard let first = intervals.firstIndex(where: { $0.value >= best - 1e-12 }) else { return 0.5 }
        var last = first
        while last + 1 < intervals.count, intervals[last + 1].value >= best - 1e-12 { last += 1 }
        return Double((intervals[first].low + intervals[last].high) / 2)
    }
}
