import Classifier
import Content
import Encoder
import Foundation
import TestSupport
import Testing

/// Tests with the real all-MiniLM-L6-v2 weights (run `scripts/fetch-encoder`); skipped when the
/// weights are absent unless `SUPPORTBOT_REQUIRE_MODEL=1`, which turns their absence into a failure.
@Suite("Intent classifier with the MiniLM encoder", .enabled(if: ClassifierFixture.encoderAvailable))
struct MiniLMClassifierTests {
    @Test("paraphrases sharing no words with the examples are recognised through the embedding")
    func paraphrases() throws {
        let encoder = try #require(try ClassifierFixture.encoder())
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)

        let classifier = try IntentClassifier.train(intents, embedder: encoder, configuration: ClassifierFixture.configuration)

        #expect(classifier.usesEmbeddings)
        #expect(classifier.encoderIdentity == encoder.identity)
        let cases = [
            ("lost access to my login credentials", "reset_password"),
            ("has the shipment left the warehouse", "track_order"),
            ("I no longer wish to be a member", "cancel_subscription"),
        ]
        for (text, expected) in cases {
            #expect(classifier.predict(text).intent == expected, "\(text)")
        }
        // The caller-supplied embedding gives the same answer as embedding internally.
        let text = "has the shipment left the warehouse"
        #expect(classifier.predict(text, embedding: encoder.embed([text])[0]).intent == classifier.predict(text).intent)
        #expect(classifier.predictBatch(cases.map(\.0)).map(\.intent) == cases.map(\.1))
    }

    @Test(
        "a model trained with the fp32 encoder decides the same with the bf16 encoder",
        .enabled(if: CPUFeatures.detect().bf16, "needs a CPU with native bfloat16"))
    func precisionParity() throws {
        let fp32 = try #require(try ClassifierFixture.encoder(precision: .fp32))
        let bf16 = try #require(try ClassifierFixture.encoder(precision: .bf16))
        #expect(fp32.identity == bf16.identity)
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: fp32, configuration: ClassifierFixture.configuration)
        // Every training example, paraphrases and out-of-scope messages, in both precisions.
        let texts =
            intents.intents.flatMap(\.examples) + [
                "lost access to my login credentials", "has the shipment left the warehouse",
                "I no longer wish to be a member", "what's the capital of Peru", "sing me a song",
            ]
        let reference = classifier.predictBatch(texts)
        let vectors = bf16.embed(texts)
        var differing: [String] = []
        for (index, text) in texts.enumerated() {
            let decision = classifier.predict(text, embedding: vectors[index])
            if decision.intent != reference[index].intent { differing.append(text) }
            #expect(abs(decision.confidence - reference[index].confidence) < 0.02, "\(text)")
        }
        #expect(differing.isEmpty, "decisions that changed with bf16: \(differing)")
    }

    @Test("a model trained with the encoder needs it to load, and knows when it is stale")
    func encoderIdentity() throws {
        let encoder = try #require(try ClassifierFixture.encoder())
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let withEncoder = try IntentClassifier.train(intents, embedder: encoder, configuration: ClassifierFixture.configuration)
        let lexical = try IntentClassifier.train(intents, embedder: nil, configuration: ClassifierFixture.configuration)
        let url = folder.file("model.sbm")
        try withEncoder.write(to: url)

        // Loading without the encoder is refused, naming the encoder it needs
        let error = try #require(throws: ClassifierError.self) { try IntentClassifier.load(from: url, embedder: nil) }
        #expect(error.code == .embedderMismatch)
        #expect(error.description.contains(encoder.identity))

        // With it, the model loads, is up to date, and predicts as before
        let loaded = try IntentClassifier.load(from: url, embedder: encoder)
        #expect(loaded.staleness(for: intents, embedder: encoder) == nil)
        #expect(loaded.predict("where is my parcel") == withEncoder.predict("where is my parcel"))

        // Encoder changes are reported both ways
        #expect(withEncoder.staleness(for: intents, embedder: nil)?.contains("not loaded") == true)
        #expect(lexical.staleness(for: intents, embedder: encoder)?.contains("now available") == true)
    }

    @Test("the out-of-scope decision averages the top probability with the similarity to the nearest example")
    func similarityInDecision() throws {
        let encoder = try #require(try ClassifierFixture.encoder())
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let classifier = try IntentClassifier.train(intents, embedder: encoder, configuration: ClassifierFixture.configuration)
        let example = try #require(intents.intents.first?.examples.first)
        let seen = classifier.predict(example)
        #expect(abs((seen.similarity ?? 0) - 1) < 1e-4)
        for text in [example, "has the shipment left the warehouse", "what is the capital of mongolia", "sing me a song"] {
            let prediction = classifier.predict(text)
            let similarity = try #require(prediction.similarity)
            #expect(similarity <= 1.0001)
            let score = (prediction.confidence + max(similarity, 0)) / 2
            #expect(prediction.isOutOfScope == (score < classifier.threshold), "\(text)")
        }
        #expect(
            classifier.predict("what is the capital of mongolia").similarity ?? 1
                < classifier.predict("has the shipment left the warehouse").similarity ?? 0)
        var probabilityOnly = ClassifierFixture.configuration
        probabilityOnly.similarityInDecision = false
        let plain = try IntentClassifier.train(intents, embedder: encoder, configuration: probabilityOnly)
        #expect(plain.predict(example).similarity == nil)
        let reloaded = try IntentClassifier.load(bytes: Array(plain.serialized()), source: "plain", embedder: encoder)
        #expect(reloaded.predict(example) == plain.predict(example))
    }

    @Test("training with the encoder is deterministic")
    func determinism() throws {
        let encoder = try #require(try ClassifierFixture.encoder())
        let folder = try TemporaryDirectory()
        let intents = try ClassifierFixture.load(into: folder)
        let first = try IntentClassifier.train(intents, embedder: encoder, configuration: ClassifierFixture.configuration)
        let second = try IntentClassifier.train(intents, embedder: encoder, configuration: ClassifierFixture.configuration)
        #expect(first.serialized() == second.serialized())
    }
}
