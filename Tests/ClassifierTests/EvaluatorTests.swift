import Classifier
import Content
import Foundation
import TestSupport
import Testing

@Suite("Intent classifier: evaluation")
struct EvaluatorTests {
    @Test("cross-validation predicts every example once with a model that did not see it")
    func crossValidation() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let evaluator = Evaluator(configuration: ClassifierFixture.configuration, embedder: nil)

        let evaluation = try evaluator.crossValidate(intents, folds: 4)

        #expect(evaluation.method == "cross-validation")
        #expect(evaluation.folds == 4)
        #expect(evaluation.inScopeExamples == 32)
        #expect(evaluation.outOfScopeExamples == 10)
        #expect(evaluation.perIntent.map(\.intent) == ["reset_password", "track_order", "cancel_subscription", "opening_hours"])
        #expect(evaluation.perIntent.allSatisfy { $0.support == 8 })
        // Clearly separable intents: most held-out phrasings are recognised.
        #expect(evaluation.topIntentAccuracy >= 0.75)
        #expect(evaluation.accuracy <= evaluation.topIntentAccuracy)
        #expect(evaluation.outOfScopeRecall != nil)
        #expect(evaluation.auroc.map { (0...1).contains($0) } == true)
    }

    @Test("a test set is scored at the model's threshold, unknown intents counting as out of scope")
    func testSet() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)
        let test = [
            Evaluator.Example(text: "I forgot the password to my account", intent: "reset_password"),
            Evaluator.Example(text: "where is my parcel", intent: "track_order"),
            Evaluator.Example(text: "please cancel my subscription", intent: "cancel_subscription"),
            Evaluator.Example(text: "when do you open on saturday", intent: "opening_hours"),
            Evaluator.Example(text: "tell me a joke about dogs", intent: "out_of_scope"),
            Evaluator.Example(text: "who won the match last night", intent: "sports_results"),
        ]

        let evaluation = try Evaluator.evaluate(classifier, on: test)

        #expect(evaluation.method == "test set")
        #expect(evaluation.threshold == classifier.threshold)
        #expect(evaluation.inScopeExamples == 4)
        #expect(evaluation.outOfScopeExamples == 2)
        #expect(evaluation.accuracy == 1)
        #expect(evaluation.macroF1 == 1)
        #expect(evaluation.outOfScopeRecall == 1)
        #expect(evaluation.auroc == 1)
        #expect(evaluation.confusions.isEmpty)
    }

    @Test("test labels written as in an imported CSV match the intents they became")
    func importedLabels() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)
        let test = [
            Evaluator.Example(text: "I forgot the password to my account", intent: "Reset Password"),
            Evaluator.Example(text: "where is my parcel", intent: "track-order"),
            Evaluator.Example(text: "tell me a joke about dogs", intent: "NO_NODES_DETECTED"),
            Evaluator.Example(text: "who won the match last night", intent: "oos"),
        ]
        let evaluation = try Evaluator.evaluate(classifier, on: test)
        #expect(evaluation.inScopeExamples == 2)
        #expect(evaluation.outOfScopeExamples == 2)
        #expect(evaluation.accuracy == 1)
    }

    @Test("mistakes show up as confused pairs and lower per-intent scores")
    func confusions() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)
        // Deliberately mislabelled: these are clearly about orders.
        let test = [
            Evaluator.Example(text: "where is my order", intent: "opening_hours"),
            Evaluator.Example(text: "track my package", intent: "opening_hours"),
            Evaluator.Example(text: "are you open today", intent: "opening_hours"),
        ]

        let evaluation = try Evaluator.evaluate(classifier, on: test)

        #expect(evaluation.confusions.first == Evaluation.Confusion(expected: "opening_hours", predicted: "track_order", count: 2))
        let hours = try #require(evaluation.perIntent.first { $0.intent == "opening_hours" })
        #expect(abs(hours.recall - 1.0 / 3.0) < 1e-9)
        #expect(hours.precision == 1)
        let orders = try #require(evaluation.perIntent.first { $0.intent == "track_order" })
        #expect(orders.precision == 0)
        #expect(orders.support == 0)
        #expect(evaluation.outOfScopeRecall == nil)
        #expect(evaluation.auroc == nil)
    }

    @Test("evaluations encode to JSON and back")
    func json() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let evaluation = try Evaluator(configuration: ClassifierFixture.configuration, embedder: nil)
            .evaluate(training: intents, test: Evaluator.examples(from: intents))

        let data = try JSONEncoder().encode(evaluation)
        // The per-example outcomes feed reports and are left out of the JSON summary.
        #expect(!evaluation.outcomes.isEmpty)
        var summary = evaluation
        summary.outcomes = []
        #expect(try JSONDecoder().decode(Evaluation.self, from: data) == summary)
        #expect(String(decoding: data, as: UTF8.self).contains("outcomes") == false)
        let table = evaluation.table()
        #expect(table.contains("accuracy"))
        #expect(table.contains("reset_password"))
    }

    @Test("fewer than two folds are refused")
    func folds() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let error = try #require(throws: ClassifierError.self) {
            try Evaluator(embedder: nil).crossValidate(intents, folds: 1)
        }
        #expect(error.code == .invalidConfiguration)
    }
}
