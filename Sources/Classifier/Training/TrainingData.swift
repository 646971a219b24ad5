import Content

/// The training examples of an `IntentSet` flattened into parallel arrays: one text and one
/// label per example, where label `intentNames.count` means `out_of_scope`. Embeddings are
/// attached once, so cross-validation folds and the final run share them.
struct TrainingData: Sendable {
    /// In-scope intent names; a label is an index into this array.
    let intentNames: [String]
    /// Example texts.
    let texts: [String]
    /// One label per text; `outOfScopeLabel` for `out_of_scope` examples.
    let labels: [Int]
    /// One embedding per text when an embedder is used, else empty.
    var embeddings: [[Float]]

    /// The label of `out_of_scope` examples.
    var outOfScopeLabel: Int { intentNames.count }
    /// Whether there are `out_of_scope` examples.
    var hasOutOfScope: Bool { labels.contains(outOfScopeLabel) }

    init(intentNames: [String], texts: [String], labels: [Int], embeddings: [[Float]] = []) {
        self.intentNames = intentNames
        self.texts = texts
        self.labels = labels
        self.embeddings = embeddings
    }

    /// Flattens `set`; throws when there is no in-scope intent or one has no examples.
    init(_ set: IntentSet) throws(ClassifierError) {
        guard !set.intents.isEmpty else {
            throw ClassifierError(.noIntents, "the intent set has no in-scope intents to learn")
        }
        var texts: [String] = []
        var labels: [Int] = []
        for (label, intent) in set.intents.enumerated() {
            let examples = intent.examples.filter { !$0.allSatisfy(\.isWhitespace) }
            guard !examples.isEmpty else {
                throw ClassifierError(.tooFewExamples, "intent `\(intent.name)` (\(intent.location)) has no examples")
            }
            texts += examples
            labels += Array(repeating: label, count: examples.count)
        }
        let outOfScope = set.outOfScopeExamples.filter { !$0.allSatisfy(\.isWhitespace) }
        texts += outOfScope
        labels += Array(repeating: set.intents.count, count: outOfScope.count)
        self.init(intentNames: set.intents.map(\.name), texts: texts, labels: labels)
    }

    /// The examples at `indices`, embeddings included.
    func subset(_ indices: [Int]) -> TrainingData {
        TrainingData(
            intentNames: intentNames, texts: indices.map { texts[$0] }, labels: indices.map { labels[$0] },
            embeddings: embeddings.isEmpty ? [] : indices.map { embeddings[$0] })
    }

    /// A stratified split: about `fraction` of every label's examples (at least one, and never
    /// all of them) go to the held-out part, chosen by `generator`. Labels with a single example
    /// stay entirely in training.
    func split(heldOutFraction fraction: Double, generator: inout SeededGenerator) -> (train: [Int], heldOut: [Int]) {
        var byLabel: [[Int]] = Array(repeating: [], count: intentNames.count + 1)
        for (index, label) in labels.enumerated() { byLabel[label].append(index) }
        var train: [Int] = []
        var heldOut: [Int] = []
        for var members in byLabel {
            generator.shuffle(&members)
            let wanted = Int((Double(members.count) * fraction).rounded())
            let count = members.count < 2 ? 0 : min(max(wanted, 1), members.count - 1)
            heldOut += members.prefix(count)
            train += members.dropFirst(count)
        }
        return (train.sorted(), heldOut.sorted())
    }
}
