import Encoder
import Foundation
import Testing

/// Fine-tuning the real MiniLM on a small real set of support intents: it lowers the held-out
/// loss, is deterministic with a seed, and its layers apply only to the encoder they came from.
@Suite("Encoder fine-tuning", .enabled(if: ModelFixture.weightsOrRequired))
struct FineTuneTests {
    /// Four intents, eight phrasings each: six to train on, two held out.
    static let intents: [[String]] = [
        [
            "I forgot my password", "how do I reset my password", "reset password please", "I can't remember my password",
            "send me a password reset link", "I need a new password", "my password does not work anymore",
            "change my forgotten password",
        ],
        [
            "where is my order", "track my package", "has my order shipped yet", "when will my parcel arrive",
            "what is my order tracking number", "where is my delivery", "my package has not arrived",
            "what's the status of my order",
        ],
        [
            "cancel my subscription", "I want to unsubscribe", "stop my membership", "end my subscription now",
            "how do I cancel my plan", "terminate my subscription", "cancel the monthly plan", "stop billing me every month",
        ],
        [
            "what are your opening hours", "when are you open", "what time do you close", "are you open on sunday",
            "store hours", "what time does the shop open", "holiday opening times", "are you open today",
        ],
    ]

    static func data(heldOut: Bool) -> (texts: [String], labels: [Int]) {
        var texts: [String] = []
        var labels: [Int] = []
        for (label, examples) in intents.enumerated() {
            let part = heldOut ? examples.suffix(2) : examples.prefix(6)
            texts += part
            labels += Array(repeating: label, count: part.count)
        }
        return (texts, labels)
    }

    static func loadEncoder() throws -> MiniLMEncoder {
        try ModelFixture.requireWeights()
        return try MiniLMEncoder(directory: ModelFixture.modelDirectory)
    }

    static let settings = FineTuneConfiguration(
        tunedLayers: 1, epochs: 3, patience: 3, learningRate: 3e-4, batchSize: 8, headScale: 10, seed: 7)

    static func tune(_ encoder: MiniLMEncoder, _ settings: FineTuneConfiguration = settings) throws -> FineTuneResult {
        let train = data(heldOut: false)
        let heldOut = data(heldOut: true)
        return try encoder.fineTune(
            texts: train.texts, labels: train.labels, heldOutTexts: heldOut.texts, heldOutLabels: heldOut.labels,
            classCount: intents.count, configuration: settings)
    }

    @Test("lowers the held-out loss, keeps the best epoch and runs as an encoder of its own")
    func lowersHeldOutLoss() throws {
        let encoder = try Self.loadEncoder()
        let result = try Self.tune(encoder)
        let initial = try #require(result.initialHeldOutLoss)
        let best = try #require(result.epochs[result.bestEpoch - 1].heldOutLoss)
        #expect(best < initial * 0.9, "held-out loss \(initial) → \(best)")
        #expect(result.epochs.count == 3)
        #expect(result.epochs.allSatisfy { $0.trainingLoss.isFinite })

        let tuned = try encoder.applying(result.tuned)
        #expect(tuned.identity.hasPrefix(encoder.identity + "+tuned@"))
        #expect(tuned.baseIdentity == encoder.identity)
        // The tuned encoder moves the embeddings; the base encoder is untouched.
        let text = "has my order shipped yet"
        let before = encoder.embed([text])[0]
        let after = tuned.embed([text])[0]
        let cosine = zip(before, after).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(cosine < 0.9999)
        #expect(encoder.embed([text])[0] == before)
        #expect(abs(after.reduce(Float(0)) { $0 + $1 * $1 } - 1) < 1e-4)
    }

    @Test("the same seed gives the same weights; another seed other weights")
    func deterministic() throws {
        let encoder = try Self.loadEncoder()
        var short = Self.settings
        short.epochs = 1
        let first = try Self.tune(encoder, short)
        let second = try Self.tune(encoder, short)
        #expect(first.tuned.values == second.tuned.values)
        #expect(first.tuned.identity == second.tuned.identity)
        short.seed = 8
        let other = try Self.tune(encoder, short)
        #expect(other.tuned.values != first.tuned.values)
    }

    @Test("tuned layers round-trip through their values and refuse another base encoder")
    func applyingChecksTheBase() throws {
        let encoder = try Self.loadEncoder()
        var short = Self.settings
        short.epochs = 1
        let tuned = try Self.tune(encoder, short).tuned
        let copy = try TunedLayers(
            baseIdentity: tuned.baseIdentity, layerCount: tuned.layerCount, hiddenSize: tuned.hiddenSize,
            intermediateSize: tuned.intermediateSize, values: tuned.values)
        #expect(copy.identity == tuned.identity)
        let text = "when are you open"
        #expect(try encoder.applying(copy).embed([text]) == encoder.applying(tuned).embed([text]))

        let foreign = try TunedLayers(
            baseIdentity: "all-MiniLM-L6-v2@000000000000", layerCount: tuned.layerCount, hiddenSize: tuned.hiddenSize,
            intermediateSize: tuned.intermediateSize, values: tuned.values)
        let error = try #require(throws: EncoderError.self) { try encoder.applying(foreign) }
        #expect(error.code == .tuningMismatch)
        #expect(error.message.contains("all-MiniLM-L6-v2@000000000000"))
        let stacked = try #require(throws: EncoderError.self) { try encoder.applying(tuned).applying(tuned) }
        #expect(stacked.code == .tuningMismatch)
        let short2 = try #require(throws: EncoderError.self) {
            try TunedLayers(
                baseIdentity: tuned.baseIdentity, layerCount: 2, hiddenSize: tuned.hiddenSize,
                intermediateSize: tuned.intermediateSize, values: tuned.values)
        }
        #expect(short2.code == .tuningMismatch)
    }

    @Test("bad data is refused with a message, and a cancelled task stops tuning")
    func refusalsAndCancellation() async throws {
        let encoder = try Self.loadEncoder()
        let mislabelled = try #require(throws: EncoderError.self) {
            try encoder.fineTune(texts: ["a", "b"], labels: [0, 5], classCount: 2)
        }
        #expect(mislabelled.code == .invalidTraining)
        let empty = try #require(throws: EncoderError.self) { try encoder.fineTune(texts: [], labels: [], classCount: 2) }
        #expect(empty.code == .invalidTraining)

        let task = Task { () throws -> FineTuneResult in
            withUnsafeCurrentTask { $0?.cancel() }
            return try Self.tune(encoder)
        }
        let outcome = await task.result
        #expect(throws: EncoderError.self) { try outcome.get() }
        if case .failure(let error as EncoderError) = outcome { #expect(error.code == .cancelled) }
    }
}
