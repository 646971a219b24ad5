import Content
import Encoder
import Logging

/// Measures the classifier on data it did not train on: k-fold cross-validation over an intent
/// set (every example is predicted by a model trained without it, with its own calibrated
/// threshold), or a trained classifier on a labelled test set. Used by `supportbot evaluate` and
/// by the benchmarks.
public struct Evaluator: Sendable {
    /// A labelled message of a test set. An intent the classifier does not know counts as
    /// `out_of_scope`: the right answer for it is a refusal.
    public struct Example: Sendable, Hashable, Codable {
        public var text: String
        public var intent: String

        public init(text: String, intent: String) {
            self.text = text
            self.intent = intent
        }
    }

    public var configuration: ClassifierConfiguration
    public var embedder: (any TextEmbedder)?
    public var logger: Logger

    public init(
        configuration: ClassifierConfiguration = .init(), embedder: (any TextEmbedder)?,
        logger: Logger = Logger(label: "supportbot.classifier", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.embedder = embedder
        self.logger = logger
    }

    /// Stratified k-fold cross-validation of `intents` (`out_of_scope` examples included in the
    /// folds). Every example is embedded once and shared by the folds. `progress` receives
    /// (folds done, folds).
    public func crossValidate(
        _ intents: IntentSet, folds: Int = 5, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(ClassifierError) -> Evaluation {
        try configuration.validate()
        guard folds >= 2 else { throw ClassifierError(.invalidConfiguration, "`folds` must be at least 2, got \(folds)") }
        var data = try TrainingData(intents)
        if let embedder { data.embeddings = try EmbeddingBatcher.embed(data.texts, with: embedder) }
        let assignment = foldAssignment(data, folds: folds)
        var records: [EvaluationRecord] = []
        var thresholds: [Double] = []
        for fold in 0..<folds {
            let test = data.labels.indices.filter { assignment[$0] == fold }
            let train = data.labels.indices.filter { assignment[$0] != fold }
            guard !test.isEmpty else { continue }
            var foldConfiguration = configuration
            foldConfiguration.seed = configuration.seed &+ UInt64(fold) &* 1000
            let result = ClassifierTrainer(configuration: foldConfiguration, logger: logger)
                .train(data.subset(train), progress: nil)
            thresholds.append(result.threshold)
            let classifier = IntentClassifier(
                artifact: ClassifierArtifact(
                    intents: data.intentNames, contentHash: intents.contentHash, encoderIdentity: embedder?.identity,
                    threshold: result.threshold, clarifyMargin: result.clarifyMargin, configuration: foldConfiguration,
                    trainedEpochs: result.epochs,
                    validationAccuracy: result.validationAccuracy, fitted: result.fitted, tuned: nil),
                embedder: embedder)
            for index in test {
                let prediction = classifier.predict(
                    data.texts[index], embedding: data.embeddings.isEmpty ? nil : data.embeddings[index])
                records.append(
                    Self.record(prediction, text: data.texts[index], expected: data.labels[index], intents: data.intentNames))
            }
            progress?(fold + 1, folds)
        }
        let threshold = thresholds.isEmpty ? 0 : thresholds.reduce(0, +) / Double(thresholds.count)
        return Evaluation(
            method: "cross-validation", folds: folds, threshold: threshold, intentNames: data.intentNames, records: records)
    }

    /// Trains on `training` and evaluates on `test`.
    public func evaluate(training: IntentSet, test: [Example]) throws(ClassifierError) -> Evaluation {
        let classifier = try IntentClassifier.train(training, embedder: embedder, configuration: configuration, logger: logger)
        return try Self.evaluate(classifier, on: test)
    }

    /// Evaluates a trained classifier on labelled examples (embedded in parallel batches).
    public static func evaluate(_ classifier: IntentClassifier, on test: [Example]) throws(ClassifierError) -> Evaluation {
        let texts = test.map(\.text)
        var embeddings: [[Float]] = []
        if classifier.usesEmbeddings, let embedder = classifier.embedderForEvaluation {
            embeddings = try EmbeddingBatcher.embed(texts, with: embedder)
        }
        let index = Dictionary(classifier.intents.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
        let records = test.indices.map { i in
            record(
                classifier.predict(texts[i], embedding: embeddings.isEmpty ? nil : embeddings[i]), text: texts[i],
                expected: index[test[i].intent] ?? index[IntentImporter.intentName(for: test[i].intent)]
                    ?? classifier.intents.count,
                intents: classifier.intents)
        }
        return Evaluation(
            method: "test set", folds: nil, threshold: classifier.threshold, intentNames: classifier.intents, records: records)
    }

    /// The labelled examples of an intent set (its `out_of_scope` examples included), for
    /// `evaluate(_:on:)`.
    public static func examples(from set: IntentSet) -> [Example] {
        set.intents.flatMap { intent in intent.examples.map { Example(text: $0, intent: intent.name) } }
            + set.outOfScopeExamples.map { Example(text: $0, intent: ClassifierConstants.outOfScope) }
    }

    private static func record(_ prediction: Prediction, text: String, expected: Int, intents: [String]) -> EvaluationRecord {
        let outOfScope = intents.count
        let top = prediction.top.first.flatMap { intents.firstIndex(of: $0.name) } ?? outOfScope
        let predicted = prediction.isOutOfScope ? outOfScope : (intents.firstIndex(of: prediction.intent) ?? outOfScope)
        let score = prediction.similarity.map { (prediction.confidence + max($0, 0)) / 2 } ?? prediction.confidence
        return EvaluationRecord(
            expected: expected, predicted: predicted, top: top, confidence: prediction.confidence, score: score, text: text)
    }

    /// Fold of every example: each label's examples, shuffled, dealt round-robin.
    private func foldAssignment(_ data: TrainingData, folds: Int) -> [Int] {
        var generator = SeededGenerator(seed: configuration.seed ^ 0xF01D)
        var byLabel: [[Int]] = Array(repeating: [], count: data.intentNames.count + 1)
        for (index, label) in data.labels.enumerated() { byLabel[label].append(index) }
        var assignment = [Int](repeating: 0, count: data.labels.count)
        var offset = 0
        for var members in byLabel {
            generator.shuffle(&members)
            for (position, index) in members.enumerated() { assignment[index] = (position + offset) % folds }
            offset += members.count
        }
        return assignment
    }
}
