import Content
import Encoder
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import Retrieval

/// The real MiniLM encoder (from `scripts/fetch-encoder`), counting the texts it embeds so tests
/// can see what a reload re-embeds.
final class CountingEncoder: TextEmbedder {
    let encoder: MiniLMEncoder
    let embedded = Atomic(0)

    init(_ encoder: MiniLMEncoder) { self.encoder = encoder }

    var dimension: Int { encoder.dimension }
    var identity: String { encoder.identity }

    func embed(_ texts: [String]) -> [[Float]] {
        embedded.add(texts.count, ordering: .relaxed)
        return encoder.embed(texts)
    }

    static let modelDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("models/minilm")

    static var hasWeights: Bool {
        MiniLMEncoder.requiredFiles.allSatisfy {
            FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent($0).path)
        } || ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_MODEL"] == "1"
    }

    static func load() throws -> CountingEncoder {
        CountingEncoder(try MiniLMEncoder(directory: modelDirectory, logger: KnowledgeBaseTests.logger))
    }
}

@Suite("Hybrid search with MiniLM", .enabled(if: CountingEncoder.hasWeights))
struct HybridSearchTests {
    static let entries = [
        FAQIndexTests.entry(
            "account.md", "How do I reset my password?", "Use the link on the sign-in page; it expires in 30 minutes."),
        FAQIndexTests.entry("shipping.md", "How long does shipping to Canada take?", "Five to eight business days."),
        FAQIndexTests.entry("shipping.md", "Do you ship to Canada?", "Yes, to every province."),
        FAQIndexTests.entry(
            "care.md", "How do I wash a down sleeping bag?", "Front-loading machine, gentle cycle, tennis balls in the dryer."),
        FAQIndexTests.entry("refunds.md", "How long does a refund take?", "About five business days after we receive the item."),
    ]

    @Test("dense retrieval finds a paraphrase that shares no words with the entry")
    func paraphrase() throws {
        let encoder = try CountingEncoder.load()
        let index = FAQIndex(entries: Self.entries, embedder: encoder, embeddingCache: nil, configuration: .init())
        #expect(index.isHybrid)
        let result = index.search("I can't remember the secret to log in")
        #expect(result.hits.first?.entry.file == "account.md")
        #expect(result.hits.first?.denseScore != nil)
        let lexicalOnly = FAQIndexTests.lexical(Self.entries).search("I can't remember the secret to log in")
        #expect(lexicalOnly.hits.first?.entry.file != "account.md")
    }

    @Test("the previous turn resolves a follow-up in hybrid search")
    func followUp() throws {
        let index = FAQIndex(
            entries: Self.entries, embedder: try CountingEncoder.load(), embeddingCache: nil, configuration: .init())
        let result = index.search("and how long does that take?", previousTurn: "do you ship to Canada?")
        #expect(result.hits.first?.entry.question == "How long does shipping to Canada take?")
    }

    @Test("a caller-supplied query embedding gives the same result")
    func suppliedEmbedding() throws {
        let encoder = try CountingEncoder.load()
        let index = FAQIndex(entries: Self.entries, embedder: encoder, embeddingCache: nil, configuration: .init())
        let vector = encoder.embed(["washing my sleeping bag"])[0]
        let supplied = index.search("washing my sleeping bag", queryEmbedding: vector, previousTurn: nil, tagHint: nil, limit: 5)
        #expect(supplied.hits.map(\.entry.id) == index.search("washing my sleeping bag").hits.map(\.entry.id))
        #expect(supplied.hits.first?.entry.file == "care.md")
    }

    @Test("embeddings are cached on disk by content and encoder identity")
    func diskCache() throws {
        // Given an index built through a cache directory
        let folder = try TemporaryDirectory()
        let first = try CountingEncoder.load()
        let built = FAQIndex(
            entries: Self.entries, embedder: first, embeddingCache: EmbeddingCache(directory: folder.url), configuration: .init())
        #expect(first.embedded.load(ordering: .relaxed) == Self.entries.count * 2)
        // When a new process (a new cache object) builds it again
        let second = try CountingEncoder.load()
        let rebuilt = FAQIndex(
            entries: Self.entries, embedder: second, embeddingCache: EmbeddingCache(directory: folder.url), configuration: .init())
        // Then nothing is embedded again and the vectors are identical
        #expect(second.embedded.load(ordering: .relaxed) == 0)
        #expect(rebuilt.dense?.vectors == built.dense?.vectors)
        #expect(rebuilt.dense?.vectors.isEmpty == false)
    }

    @Test("a reload re-embeds only the entries of the changed file")
    func incrementalEmbedding() async throws {
        // Given a live folder of two files loaded with the real encoder
        let folder = try TemporaryDirectory()
        try folder.write("a.md", "## Do you ship to Canada?\nYes.\n\n## Do you ship to Mexico?\nNot yet.\n")
        try folder.write("b.md", "## Is there a warranty?\nFor life.\n")
        let encoder = try CountingEncoder.load()
        let base = KnowledgeBase(
            directory: folder.url, embedder: encoder, configuration: .init(), logger: KnowledgeBaseTests.logger)
        await base.reload()
        #expect(encoder.embedded.load(ordering: .relaxed) == 6)
        // When one file changes
        try folder.write("b.md", "## Is there a lifetime warranty?\nFor life.\n")
        await base.reload()
        // Then only its new question is embedded (its answer is unchanged)
        #expect(encoder.embedded.load(ordering: .relaxed) == 7)
        #expect(base.current.isHybrid)
        #expect(base.current.search("guarantee on gear").hits.first?.entry.file == "b.md")
    }
}
