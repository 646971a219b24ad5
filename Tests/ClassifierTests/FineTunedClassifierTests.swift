import Classifier
import Content
import Encoder
import Foundation
import TestSupport
import Testing

/// A classifier whose encoder is fine-tuned on the intents (`train --fine-tune`): its artifact
/// carries the tuned layers, loads back on the base encoder with identical predictions, and is
/// refused with a clear message without it.
@Suite("Fine-tuned intent classifier", .enabled(if: ClassifierFixture.encoderAvailable))
struct FineTunedClassifierTests {
    static let fineTuning = FineTuneConfiguration(tunedLayers: 1, epochs: 2, learningRate: 2e-4, batchSize: 8)

    @Test("the artifact round-trips the tuned layers; loading needs the base encoder")
    func artifactRoundTrip() throws {
        let encoder = try #require(try ClassifierFixture.encoder())
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let trained = try IntentClassifier.trainFineTuned(
            intents, encoder: encoder, configuration: ClassifierFixture.configuration, fineTuning: Self.fineTuning)
        let classifier = trained.classifier
        let tuned = try #require(classifier.tunedLayers)
        #expect(tuned.layerCount == 1)
        #expect(tuned.baseIdentity == encoder.identity)
        #expect(classifier.encoderIdentity == tuned.identity)
        #expect(classifier.staleness(for: intents, embedder: encoder) == nil)

        let url = folder.file("model.sbm")
        try classifier.write(to: url)
        let loaded = try IntentClassifier.load(from: url, embedder: encoder)
        #expect(loaded.tunedLayers?.values == tuned.values)
        #expect(loaded.serialized() == classifier.serialized())
        let texts = ["has the shipment left the warehouse", "I no longer wish to be a member", "what's the weather like"]
        #expect(loaded.predictBatch(texts) == classifier.predictBatch(texts))
        // The assistant's base-encoder embedding is not the tuned one: the classifier embeds itself.
        #expect(loaded.predict(texts[0], embedding: encoder.embed([texts[0]])[0]).intent == loaded.predict(texts[0]).intent)

        let missing = try #require(throws: ClassifierError.self) { try IntentClassifier.load(from: url, embedder: nil) }
        #expect(missing.code == .embedderMismatch)
        #expect(missing.description.contains(encoder.identity))
    }

    @Test("fine-tuned training is deterministic with a seed")
    func deterministic() throws {
        let encoder = try #require(try ClassifierFixture.encoder())
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        var settings = Self.fineTuning
        settings.epochs = 1
        let first = try IntentClassifier.trainFineTuned(
            intents, encoder: encoder, configuration: ClassifierFixture.configuration, fineTuning: settings)
        let second = try IntentClassifier.trainFineTuned(
            intents, encoder: encoder, configuration: ClassifierFixture.configuration, fineTuning: settings)
        #expect(first.classifier.serialized() == second.classifier.serialized())
    }
}
