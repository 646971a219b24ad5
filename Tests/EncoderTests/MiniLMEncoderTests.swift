import Foundation
import Synchronization
import Testing

@testable import Encoder

/// The real model against independent references. Skipped without weights unless
/// SUPPORTBOT_REQUIRE_MODEL=1.
@Suite(.enabled(if: ModelFixture.weightsOrRequired, "needs scripts/fetch-encoder"))
struct MiniLMEncoderTests {
    struct ReferenceEmbedding: Decodable {
        let text: String
        let embedding: [Double]
    }

    static func cosine(_ a: [Float], _ b: [Double]) -> Double {
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * y
            normA += Double(x) * Double(x)
            normB += y * y
        }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double { cosine(a, b.map(Double.init)) }

    /// The precisions this machine runs: float32 everywhere, bfloat16 where the CPU has it.
    static let precisions: [EncoderPrecision] = CPUFeatures.detect().bf16 ? [.fp32, .bf16] : [.fp32]

    /// The encoder in float32 unless `configuration` says otherwise: the references are float.
    static func encoder(_ configuration: EncoderConfiguration = .init(precision: .fp32)) throws -> MiniLMEncoder {
        try ModelFixture.requireWeights()
        return try MiniLMEncoder(directory: ModelFixture.modelDirectory, configuration: configuration)
    }

    @Test func reproducesPublishedSimilarities() throws {
        // Given the sentence-transformers README example
        let encoder = try Self.encoder()
        // When the three sentences are embedded
        let v = encoder.embed(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
        // Then the pairwise similarities are the published ones
        #expect(abs(Self.cosine(v[0], v[1]) - 0.6660) <= 0.0005)
        #expect(abs(Self.cosine(v[0], v[2]) - 0.1046) <= 0.0005)
        #expect(abs(Self.cosine(v[1], v[2]) - 0.1411) <= 0.0005)
    }

    @Test(.enabled(if: ModelFixture.referencesOrRequired, "needs scripts/encoder-reference"))
    func matchesIndependentNumpyImplementation() throws {
        try ModelFixture.requireReferences()
        // Given float64 vectors from the NumPy BERT (scripts/encoder/numpy_minilm.py)
        let encoder = try Self.encoder()
        let references = try ModelFixture.jsonLines("embeddings.jsonl", as: ReferenceEmbedding.self)
        #expect(references.count >= 50)
        // When the same texts are embedded in one call
        let vectors = encoder.embed(references.map(\.text))
        // Then every vector points the same way
        for (vector, reference) in zip(vectors, references) {
            let similarity = Self.cosine(vector, reference.embedding)
            #expect(similarity >= 0.9999, "cosine \(similarity) for \(reference.text.prefix(60).debugDescription)")
        }
    }

    @Test(
        "bfloat16 embeddings stay within cosine 0.995 of the float64 NumPy BERT",
        .enabled(if: ModelFixture.referencesOrRequired && CPUFeatures.detect().bf16, "needs references and a bf16 CPU"))
    func bfloat16MatchesNumpyWithinTolerance() throws {
        try ModelFixture.requireReferences()
        let encoder = try Self.encoder(EncoderConfiguration(precision: .bf16))
        #expect(encoder.precision == .bf16)
        let references = try ModelFixture.jsonLines("embeddings.jsonl", as: ReferenceEmbedding.self)
        let vectors = encoder.embed(references.map(\.text))
        for (vector, reference) in zip(vectors, references) {
            let similarity = Self.cosine(vector, reference.embedding)
            #expect(similarity >= 0.995, "cosine \(similarity) for \(reference.text.prefix(60).debugDescription)")
        }
    }

    @Test("auto runs bfloat16 exactly where the CPU has it")
    func autoPrecision() throws {
        let encoder = try Self.encoder(EncoderConfiguration(precision: .auto))
        #expect(encoder.precision == (CPUFeatures.detect().bf16 ? .bf16 : .fp32))
    }

    @Test("a call's batches spread over two workers give the same vectors as one worker", arguments: precisions)
    func workersDoNotChangeVectors(_ precision: EncoderPrecision) throws {
        let one = try Self.encoder(EncoderConfiguration(threads: 1, batchSize: 2, precision: precision))
        let two = try Self.encoder(EncoderConfiguration(threads: 2, batchSize: 2, precision: precision))
        let texts = Self.sentences + Self.sentences.reversed()
        #expect(one.embed(texts) == two.embed(texts))
    }

    @Test("scratch buffers are reused: steady-state calls allocate none, and reuse changes no vector", arguments: precisions)
    func workspacesAreReused(_ precision: EncoderPrecision) throws {
        let encoder = try Self.encoder(EncoderConfiguration(threads: 1, precision: precision))
        let long = [String(repeating: "refund my order please ", count: 20)]
        let first = encoder.embed(long)
        let made = encoder.workspacesMade.load(ordering: .relaxed)
        for sentence in Self.sentences.prefix(8) { _ = encoder.embed([sentence]) }
        #expect(encoder.embed(long) == first)
        #expect(encoder.workspacesMade.load(ordering: .relaxed) == made)
    }

    @Test func vectorsAreUnitLengthWithStableIdentity() throws {
        let encoder = try Self.encoder()
        let vectors = encoder.embed(["", "refund please", String(repeating: "very long text ", count: 400)])
        #expect(encoder.dimension == 384)
        #expect(encoder.identity == "all-MiniLM-L6-v2@53aa51172d14")
        for vector in vectors {
            #expect(vector.count == 384)
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        #expect(encoder.embed([]).isEmpty)
    }

    static let sentences = [
        "How do I reset my password?", "i lost my card", "what's the weather like in Paris tomorrow",
        "Transfer $500 from checking to savings.", "ok", "Can you tell me a joke about cats and dogs?",
        "東京で一番おいしいラーメンはどこですか？", "Ünïcödé façade café", "cancel my order #12345 right now please",
        String(repeating: "refund ", count: 300), "[CLS] hello [SEP]", "😀", "When is my next payment due?",
    ]

    @Test(
        arguments: precisions.flatMap { precision in
            [
                EncoderConfiguration(batchSize: 64, precision: precision),
                EncoderConfiguration(batchSize: 3, maxBatchTokens: 40, precision: precision),
            ]
        })
    func batchingDoesNotChangeVectors(_ configuration: EncoderConfiguration) throws {
        // Given an encoder with the configuration's batch limits
        let encoder = try Self.encoder(configuration)
        // When texts are embedded together and one at a time
        let together = encoder.embed(Self.sentences)
        let alone = Self.sentences.map { encoder.embed([$0])[0] }
        // Then each text gets the same vector
        #expect(together.count == Self.sentences.count)
        for (index, (a, b)) in zip(together, alone).enumerated() {
            #expect(Self.cosine(a, b) >= 0.99999, "text \(index)")
        }
    }

    @Test(arguments: precisions)
    func concurrentCallsAgreeWithSequentialOnes(_ precision: EncoderPrecision) async throws {
        // Given one shared encoder and the vectors of sequential calls
        let encoder = try Self.encoder(EncoderConfiguration(precision: precision))
        let groups = (0..<8).map { offset in (0..<5).map { Self.sentences[(offset + $0 * 3) % Self.sentences.count] } }
        let sequential = groups.map { encoder.embed($0) }
        // When the same calls run concurrently, several times over
        let concurrent = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            for round in 0..<3 {
                for (index, texts) in groups.enumerated() {
                    group.addTask { (index, encoder.embed(texts)) }
                }
                _ = round
            }
            var results: [(Int, [[Float]])] = []
            for try await result in group { results.append(result) }
            return results
        }
        // Then every concurrent result equals its sequential counterpart exactly
        #expect(concurrent.count == 24)
        for (index, vectors) in concurrent {
            #expect(vectors == sequential[index], "group \(index)")
        }
    }

    @Test func tokenizerFromVocabTxtAgreesWithTokenizerJSON() throws {
        try ModelFixture.requireWeights()
        let fromJSON = try WordPieceTokenizer(tokenizerJSON: ModelFixture.modelDirectory.appendingPathComponent("tokenizer.json"))
        let fromVocab = try WordPieceTokenizer(vocabulary: ModelFixture.modelDirectory.appendingPathComponent("vocab.txt"))
        for text in Self.sentences + ["[MASK] Straße İstanbul", "\u{0}\u{7}tab\there"] {
            #expect(fromJSON.encode(text) == fromVocab.encode(text), "\(text.debugDescription)")
        }
    }
}
