/// One classified evaluation example, as labels: `expected` and `predicted` index the in-scope
/// intents, with `intentCount` standing for `out_of_scope`.
struct EvaluationRecord: Sendable {
    var expected: Int
    var predicted: Int
    /// The top in-scope intent, before the threshold.
    var top: Int
    /// The top in-scope intent's probability.
    var confidence: Double
    /// The out-of-scope decision score the threshold applies to (the probability, averaged with
    /// the similarity to the nearest training example when the model reads it).
    var score: Double
    var text: String
}

extension Evaluation {
    /// Computes every metric from classified examples.
    init(method: String, folds: Int?, threshold: Double, intentNames: [String], records: [EvaluationRecord]) {
        let outOfScope = intentNames.count
        let inScope = records.filter { $0.expected != outOfScope }
        let rejected = records.filter { $0.expected == outOfScope }
        self.method = method
        self.folds = folds
        self.threshold = threshold
        inScopeExamples = inScope.count
        outOfScopeExamples = rejected.count
        accuracy = Self.share(inScope) { $0.predicted == $0.expected }
        topIntentAccuracy = Self.share(inScope) { $0.top == $0.expected }
        outOfScopeRecall = rejected.isEmpty ? nil : Self.share(rejected) { $0.predicted == outOfScope }
        auroc =
            rejected.isEmpty || inScope.isEmpty
            ? nil : Self.auroc(positives: inScope.map(\.score), negatives: rejected.map(\.score))

        var truePositives = [Int](repeating: 0, count: outOfScope + 1)
        var predictedCount = [Int](repeating: 0, count: outOfScope + 1)
        var support = [Int](repeating: 0, count: outOfScope + 1)
        var pairs: [Int: Int] = [:]
        for record in records {
            support[record.expected] += 1
            predictedCount[record.predicted] += 1
            if record.expected == record.predicted {
                truePositives[record.expected] += 1
            } else {
                pairs[record.expected * (outOfScope + 1) + record.predicted, default: 0] += 1
            }
        }
        perIntent = intentNames.indices.map { k in
            let precision = predictedCount[k] == 0 ? 0 : Double(truePositives[k]) / Double(predictedCount[k])
            let recall = support[k] == 0 ? 0 : Double(truePositives[k]) / Double(support[k])
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return IntentScore(intent: intentNames[k], precision: precision, recall: recall, f1: f1, support: support[k])
        }
        let evaluated = perIntent.filter { $0.support > 0 }
        macroF1 = evaluated.isEmpty ? 0 : evaluated.map(\.f1).reduce(0, +) / Double(evaluated.count)
        let names = intentNames + [ClassifierConstants.outOfScope]
        outcomes = records.map {
            Outcome(
                text: $0.text, expected: names[$0.expected], predicted: names[$0.predicted], top: names[$0.top],
                confidence: $0.confidence, score: $0.score)
        }
        confusions = pairs.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(10)
            .map {
                Confusion(expected: names[$0.key / (outOfScope + 1)], predicted: names[$0.key % (outOfScope + 1)], count: $0.value)
            }
    }

    private static func share(_ records: [EvaluationRecord], _ test: (EvaluationRecord) -> Bool) -> Double {
        records.isEmpty ? 0 : Double(records.filter(test).count) / Double(records.count)
    }

    /// Mann–Whitney estimate of P(positive > negative), ties counting one half.
    static func auroc(positives: [Double], negatives: [Double]) -> Double {
        let ranked = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var index = 0
        while index < ranked.count {
            var end = index
            while end + 1 < ranked.count, ranked[end + 1].0 == ranked[index].0 { end += 1 }
            let averageRank = Double(index + end) / 2 + 1
            for i in index...end where ranked[i].1 { rankSum += averageRank }
            index = end + 1
        }
        let p = Double(positives.count)
        let n = Double(negatives.count)
        return (rankSum - p * (p + 1) / 2) / (p * n)
    }
}
