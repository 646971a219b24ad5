import Content
import Testing

@testable import Retrieval

@Suite("Second-stage reranking")
struct RerankTests {
    static let entries = [
        FAQIndexTests.entry(
            "orders.md", "Can I change or cancel my order?",
            "Within an hour of ordering, use Edit order on the order page. You can change the address, remove an item or upgrade to overnight delivery there. After that the order is packed and can't be changed.",
            alternates: ["Can I edit an order I just placed?", "How do I cancel an order?"]),
        FAQIndexTests.entry(
            "shipping.md", "How long does delivery take?", "Standard delivery takes 3 to 5 business days; expedited takes 2.",
            alternates: ["When will my package arrive?"]),
        FAQIndexTests.entry(
            "returns.md", "What is your return policy?", "Unused items can be returned within 60 days of delivery."),
        FAQIndexTests.entry(
            "care.md", "How do I wash a down sleeping bag?", "Front-loading machine, gentle cycle, tennis balls in the dryer."),
    ]

    static func index(reranker: RerankModel?) throws -> FAQIndex {
        var configuration = RetrievalConfiguration()
        configuration.reranker = reranker
        return FAQIndex(entries: entries, embedder: try CountingEncoder.load(), embeddingCache: nil, configuration: configuration)
    }

    @Test("an answer is cut into sentences without Markdown list markers; a one-sentence answer gives none")
    func answerSentences() {
        #expect(AnswerSentences.split("Just one sentence here.") == [])
        #expect(
            AnswerSentences.split("Two ways:\n- **Online**: start at the returns page.\n1. Or drop it off. Bring the slip.")
                == ["Two ways:", "**Online**: start at the returns page.", "Or drop it off.", "Bring the slip."])
    }

    @Test("features are named in vector order and scaled as documented", .enabled(if: CountingEncoder.hasWeights))
    func features() throws {
        let index = try Self.index(reranker: .standard)
        let query = "can I still switch my order to overnight shipping?"
        let vector = try CountingEncoder.load().embed([query])[0]
        let candidates = index.rerankCandidates(query, queryEmbedding: vector, depth: 10)
        #expect(candidates.count == Self.entries.count)
        #expect(candidates.map(\.firstStageRank) == Array(0..<candidates.count))
        #expect(candidates.first?.features.firstStage == 1)
        for candidate in candidates {
            let features = candidate.features
            #expect(features.vector.count == RerankFeatures.names.count)
            #expect(features.nearestPhrasingCosine >= features.nearestTwoPhrasingsCosine - 1e-6)
            #expect((0...1).contains(features.queryCoverage) && (0...1).contains(features.questionCoverage))
            #expect((0...1.000_001).contains(features.questionBM25 + features.alternatesBM25 + features.answerBM25))
        }
        // A query that is one sentence of an answer meets that sentence, not the whole answer.
        let sentence = "After that the order is packed and can't be changed."
        let sentenceVector = try CountingEncoder.load().embed([sentence])[0]
        let order = try #require(
            index.rerankCandidates(sentence, queryEmbedding: sentenceVector, depth: 10).first { $0.entry.file == "orders.md" })
        #expect(order.features.answerSentenceCosine > 0.99)
        #expect(order.features.answerCosine < 0.95)
    }

    @Test(
        "search returns the candidates in the model's order, with probabilities as scores", .enabled(if: CountingEncoder.hasWeights)
    )
    func ordersByModel() throws {
        let query = "when does my parcel get here"
        let vector = try CountingEncoder.load().embed([query])[0]
        // A model that reads only the answer's cosine, and one that reads only the question's.
        for weights in [[0, 0, 0, 0, 10.0, 0, 0, 0, 0, 0, 0], [0, 10.0, 0, 0, 0, 0, 0, 0, 0, 0, 0]] {
            let model = RerankModel(weights: weights)
            let index = try Self.index(reranker: model)
            let expected = index.rerankCandidates(query, queryEmbedding: vector, depth: 20)
                .sorted { model.score($0.features) > model.score($1.features) }.map(\.entry.id)
            let result = index.search(query, queryEmbedding: vector, previousTurn: nil, tagHint: nil, limit: 4)
            #expect(result.hits.map(\.entry.id) == expected)
            let scores = result.hits.map(\.score)
            #expect(scores == scores.sorted(by: >))
            #expect(scores.allSatisfy { (0...1).contains($0) })
            #expect(abs(scores.reduce(0, +) - 1) < 1e-9)
            #expect(result.evidence?.rerankProbability == scores.first)
        }
    }

    @Test(
        "without a model the fusion order stands and the evidence has no reranker probability",
        .enabled(if: CountingEncoder.hasWeights))
    func withoutModel() throws {
        let result = try Self.index(reranker: nil).search("when does my parcel get here")
        #expect(result.evidence?.rerankProbability == nil)
        #expect(result.evidence?.nearestPhrasingCosine != nil)
        let scores = result.hits.map(\.score)
        #expect(scores == scores.sorted(by: >))
    }

    @Test("lexical-only search has no candidates to rerank and keeps the BM25 order")
    func lexicalOnly() {
        let index = FAQIndexTests.lexical(Self.entries)
        #expect(index.rerankCandidates("cancel my order", queryEmbedding: [0.1, 0.2], depth: 5).isEmpty)
        let result = index.search("cancel my order")
        #expect(result.hits.first?.entry.file == "orders.md")
        #expect(result.evidence?.rerankProbability == nil)
    }
}
