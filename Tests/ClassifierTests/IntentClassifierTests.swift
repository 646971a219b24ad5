import Classifier
import Content
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("Intent classifier: training and prediction")
struct IntentClassifierTests {
    @Test(
        "separable intents are recognised in unseen phrasings",
        arguments: [
            ("I forgot the password to my account", "reset_password"),
            ("where is my parcel", "track_order"),
            ("please cancel my subscription", "cancel_subscription"),
            ("when do you open on saturday", "opening_hours"),
        ])
    func separable(text: String, expected: String) throws {
        // Given a model trained on four clearly different intents (lexical features only)
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)

        // When a new phrasing is classified
        let prediction = classifier.predict(text)

        // Then the right intent wins, ranked first among the candidates
        #expect(prediction.intent == expected)
        #expect(prediction.top.first?.name == expected)
        #expect(prediction.confidence >= classifier.threshold)
    }

    @Test(
        "out-of-scope messages fall below the threshold",
        arguments: ["tell me a joke about dogs", "what's the weather like in paris", "who won the match last night"])
    func outOfScope(text: String) throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)

        let prediction = classifier.predict(text)

        #expect(prediction.intent == Intent.outOfScope)
        #expect(prediction.isOutOfScope)
        // The candidates are still reported, best first, for logging and disambiguation.
        #expect(prediction.top.count == 4)
        #expect(zip(prediction.top, prediction.top.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
    }

    @Test("the lexical-only model needs no encoder and reports itself as such")
    func lexicalOnly() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder, outOfScope: false)
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)

        #expect(!classifier.usesEmbeddings)
        #expect(classifier.encoderIdentity == nil)
        #expect(classifier.intents == ["reset_password", "track_order", "cancel_subscription", "opening_hours"])
        #expect(classifier.contentHash == intents.contentHash)
        #expect((0...1).contains(classifier.threshold))
        // predict, predict(embedding:) and predictBatch agree
        let texts = ["reset my password", "where is my order", "are you open today"]
        let batch = classifier.predictBatch(texts)
        #expect(batch == texts.map { classifier.predict($0) })
        #expect(batch == texts.map { classifier.predict($0, embedding: nil) })
        #expect(batch.map(\.intent) == ["reset_password", "track_order", "opening_hours"])
    }

    @Test("probabilities of the candidates are sane")
    func probabilities() throws {
        let folder = try TemporaryDirectory()
        let classifier = try IntentClassifier.train(
            try ClassifierFixture.load(into: folder), embedder: nil, configuration: ClassifierFixture.configuration)

        let prediction = classifier.predict("how do I reset my password")

        #expect(prediction.top.allSatisfy { (0...1).contains($0.confidence) })
        #expect(prediction.top.map(\.confidence).reduce(0, +) <= 1.000_001)
        #expect(prediction.confidence == prediction.top.first?.confidence)
        #expect(Set(prediction.top.map(\.name)).count == prediction.top.count)
    }

    @Test("progress is reported for every epoch of both phases")
    func progress() throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let seen = Mutex<[TrainingProgress]>([])
        let classifier = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration) {
            progress in seen.withLock { $0.append(progress) }
        }
        let reports = seen.withLock { $0 }
        let validation = reports.filter { $0.phase == .validation }
        let final = reports.filter { $0.phase == .final }

        #expect(!validation.isEmpty)
        #expect(validation.allSatisfy { $0.validationAccuracy != nil && $0.epochs == ClassifierFixture.configuration.epochs })
        #expect(final.map(\.epoch) == Array(1...classifier.trainedEpochs))
        #expect(final.allSatisfy { $0.validationAccuracy == nil && $0.loss.isFinite })
        // Loss falls as training proceeds.
        #expect((final.last?.loss ?? .infinity) < (final.first?.loss ?? 0))
    }

    @Test("an intent set without intents is refused")
    func noIntents() {
        let empty = IntentSet(intents: [], outOfScopeExamples: ["hello"], variables: [:], contentHash: "x")
        #expect(throws: ClassifierError.self) {
            try IntentClassifier.train(empty, embedder: nil)
        }
        do {
            _ = try IntentClassifier.train(empty, embedder: nil)
        } catch {
            #expect(error.code == .noIntents)
        }
    }

    @Test(
        "invalid configurations are refused with the field named",
        arguments: ["epochs", "dropout", "charNGrams", "validationFraction"])
    func invalidConfiguration(field: String) throws {
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        var configuration = ClassifierConfiguration()
        switch field {
        case "epochs": configuration.epochs = 0
        case "dropout": configuration.dropout = 1
        case "charNGrams": configuration.charNGrams = 0...3
        default: configuration.validationFraction = 1.5
        }
        do {
            _ = try IntentClassifier.train(intents, embedder: nil, configuration: configuration)
            Issue.record("training accepted an invalid \(field)")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.description.contains(field))
        }
    }
}
