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

    /// The calibrated threshold in 0...1.
    func threshold(_ samples: [Sample]) -> Double {
        let inScope = samples.filter { !$0.isOutOfScope }
        let outOfScope = samples.filter(\.isOutOfScope)
        guard !inScope.isEmpty else { return 0.5 }
        let cap = rejectionLimited(inScope)
        guard !outOfScope.isEmpty, outOfScopeWeight > 0 else { return cap }
        return min(cap, balanced(inScope: inScope, outOfScope: outOfScope))
    }

    /// Highest threshold that rejects at most `inScopeRejection` of the correct in-scope samples.
    private func rejectionLimited(_ inScope: [Sample]) -> Double {
        let scores = inScope.filter(\.correct).map(\.score).sorted()
        guard !scores.isEmpty else { return 0 }
        let allowed = Int((Double(scores.count) * max(inScopeRejection, 0)).rounded(.down))
        guard allowed > 0 else { return Double(max(scores[0], 0)) }
        return Double(max((scores[allowed - 1] + scores[allowed]) / 2, 0))
    }

    /// Threshold maximising accepted-correct in-scope rate + weight × rejected out-of-scope rate.
    /// Among equally good thresholds it takes the middle of the first best run of intervals
    /// between neighbouring scores, so small held-out sets do not push it to an edge.
    private func balanced(inScope: [Sample], outOfScope: [Sample]) -> Double {
        let inScopeUnit = 1 / Double(inScope.count)
        let outOfScopeUnit = outOfScopeWeight / Double(outOfScope.count)
        // Samples with a negative score are rejected whatever the threshold.
        let ranked = (inScope + outOfScope).filter { $0.score >= 0 }.sorted { $0.score < $1.score }
        var value = Double(ranked.filter { !$0.isOutOfScope && $0.correct }.count) * inScopeUnit
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
