import Content
import Foundation
import Testing

@testable import Retrieval

@Suite("FAQ index search")
struct FAQIndexTests {
    static func entry(
        _ file: String, _ question: String, _ answer: String, alternates: [String] = [], tags: [String] = []
    ) -> FAQEntry {
        FAQEntry(
            id: "\(file)#\(EnglishAnalyzer.exactKey(question).replacingOccurrences(of: " ", with: "-"))", question: question,
            alternates: alternates, answer: answer, tags: tags, file: file, line: 1)
    }

    static func lexical(_ entries: [FAQEntry]) -> FAQIndex {
        FAQIndex(entries: entries, embedder: nil, embeddingCache: nil, configuration: RetrievalConfiguration())
    }

    @Test("an exact match of a question or alternate is rank 1 with full confidence")
    func exactMatch() {
        // Given an entry whose question is mostly stopwords and one that repeats the key word
        let index = Self.lexical([
            Self.entry("a.md", "Order tracking order order", "Use the order page to follow your order."),
            Self.entry("b.md", "Where is my order?", "See tracking.", alternates: ["Has my parcel shipped yet?"]),
        ])
        // When the query is the question, differently cased and punctuated
        let byQuestion = index.search("WHERE is my order")
        let byAlternate = index.search("has my parcel shipped yet?!")
        // Then it comes first, confidently, though BM25 alone prefers the other entry
        #expect(byQuestion.hits.first?.entry.file == "b.md")
        #expect(byQuestion.isExactMatch && byQuestion.isConfident && byQuestion.confidence == 1)
        #expect(byQuestion.hits[0].lexicalScore < byQuestion.hits[1].lexicalScore)
        #expect(byAlternate.hits.first?.entry.file == "b.md" && byAlternate.isExactMatch)
        #expect(!index.search("where is my order now").isExactMatch)
    }

    @Test("the tag hint nudges tagged entries up but filters nothing")
    func tagHint() {
        // Given two entries tied for the query (the first wins ties), the second one tagged
        let index = Self.lexical([
            Self.entry("summer.md", "How long does delivery take in summer?", "Two days."),
            Self.entry("winter.md", "How long does delivery take in winter?", "Six days.", tags: ["shipping"]),
            Self.entry("returns.md", "Can I return boots?", "Yes.", tags: ["returns_policy"]),
        ])
        let plain = index.search("how long does delivery take")
        let hinted = index.search("how long does delivery take", tagHint: "Shipping")
        let otherHint = index.search("how long does delivery take", tagHint: "returns_policy")
        // Then the hint lifts the tagged entry, and untagged entries stay in the results
        #expect(plain.hits.map(\.entry.file) == ["summer.md", "winter.md"])
        #expect(hinted.hits.map(\.entry.file) == ["winter.md", "summer.md"])
        #expect(otherHint.hits.map(\.entry.file) == ["summer.md", "winter.md"])
    }

    @Test("the previous turn resolves a follow-up")
    func followUp() {
        // Given two "how long" questions; the refund one is shorter, so it wins on its own
        let index = Self.lexical([
            Self.entry("refunds.md", "How long does a refund take?", "About five business days."),
            Self.entry("canada.md", "How long does shipping to Canada take?", "Five to eight business days."),
            Self.entry("intl.md", "Do you ship to Canada?", "Yes, to every province."),
        ])
        let alone = index.search("and how long does that take?")
        // When the previous user turn is given
        let followUp = index.search("and how long does that take?", previousTurn: "do you ship to Canada?")
        // Then the follow-up finds the Canada shipping time
        #expect(alone.hits.first?.entry.file == "refunds.md")
        #expect(followUp.hits.first?.entry.file == "canada.md")
    }

    @Test("empty index, empty query and limits")
    func edges() {
        #expect(FAQIndex.empty().search("anything").hits.isEmpty)
        let index = Self.lexical((0..<20).map { Self.entry("f\($0).md", "Question \($0) about tents", "Answer.") })
        #expect(index.search("", limit: 5).hits.isEmpty)
        #expect(index.search("tents", limit: 3).hits.count == 3)
        #expect(index.search("tents", limit: 0).hits.isEmpty)
        #expect(index.search("what is it?").confidence == 0)
    }

    static let sampleFolder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("faqs")

    @Test(
        "lexical-only confidence: confident on a clear question, no good match out of scope",
        .enabled(if: FileManager.default.fileExists(atPath: sampleFolder.path)))
    func lexicalConfidence() throws {
        // Given the sample knowledge base without an embedder
        let load = FAQLoader(directory: Self.sampleFolder).load()
        try #require(load.entries.count > 50)
        let index = Self.lexical(load.entries)
        // Then out-of-scope questions are refused and the confidence stays in [0, 1]
        for query in ["what's the capital of Mongolia", "tell me a joke", "who won the game last night"] {
            let result = index.search(query)
            #expect(!result.isConfident, "\(query): \(result.confidence)")
            #expect((0...1).contains(result.confidence))
        }
        let clear = index.search("how do I reset my password")
        #expect(clear.isConfident, "\(clear.confidence)")
        #expect(clear.hits.first?.entry.id == "account-privacy.csv#how-do-i-reset-my-password")
    }
}
