import Content
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Retrieval

/// A large FAQ file is indexed in steps (issue 17, finding 12): visible step by step, logged,
/// and not holding up changes to other files.
@Suite("Knowledge base: large files in steps")
struct KnowledgeBaseStepsTests {
    /// Records each indexing step with what was served then, and runs a hook on it
    /// (synchronously, inside the reload).
    final class IndexingLog: Sendable {
        struct Event: Sendable {
            var indexed: Int
            var total: Int
            var served: [FAQEntry]
        }
        let events = Mutex<[Event]>([])
        /// The knowledge base, held weakly: it holds this log through its `onIndexingStep`.
        struct WeakBase: Sendable { weak var value: KnowledgeBase? }
        let base = Mutex(WeakBase())
        let onEvent: @Sendable (Int) -> Void

        init(onEvent: @escaping @Sendable (Int) -> Void = { _ in }) { self.onEvent = onEvent }

        func record(_ progress: IndexingProgress) {
            let served = base.withLock { $0.value?.current.entries ?? [] }
            let count = events.withLock { events in
                events.append(Event(indexed: progress.indexed, total: progress.total, served: served))
                return events.count
            }
            onEvent(count)
        }
    }

    static func knowledgeBase(_ folder: TemporaryDirectory, log: IndexingLog) -> KnowledgeBase {
        var configuration = RetrievalConfiguration()
        configuration.indexingStep = 10
        let base = KnowledgeBase(
            directory: folder.url, embedder: nil, configuration: configuration, logger: KnowledgeBaseTests.logger,
            onIndexingStep: { log.record($0) })
        log.base.withLock { $0.value = base }
        return base
    }

    static func file(_ count: Int, answer: String) -> String {
        (0..<count).map { "## What is item \($0)?\nItem \($0) is \(answer).\n" }.joined(separator: "\n")
    }

    @Test("a file larger than a step becomes visible step by step, each step logged with its progress")
    func visibleInSteps() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("big.md", Self.file(45, answer: "new"))
        let log = IndexingLog()
        let base = Self.knowledgeBase(folder, log: log)
        let report = await base.reload()
        let events = log.events.withLock { $0 }
        #expect(events.map(\.indexed) == [10, 20, 30, 40, 45])
        #expect(events.allSatisfy { $0.total == 45 })
        #expect(events.map(\.served.count) == [10, 20, 30, 40, 45])
        #expect(report.entries == 45)
        #expect(report.swapped)
    }

    @Test("a change to another file while a large one indexes is served before the large one is done")
    func otherFilesNotHeldUp() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("big.md", Self.file(45, answer: "new"))
        // After the first step, a small file appears
        let log = IndexingLog { count in
            if count == 1 { _ = try? folder.write("small.md", "## Do you ship abroad?\nYes, to 40 countries.\n") }
        }
        let base = Self.knowledgeBase(folder, log: log)
        await base.reload()
        let events = log.events.withLock { $0 }
        #expect(events.count == 5)
        // By the second step, with the large file not done, the small file is served
        let second = try #require(events.dropFirst().first)
        #expect(second.indexed < second.total)
        #expect(second.served.contains { $0.file == "small.md" })
        #expect(base.current.count == 46)
    }

    @Test("while a changed large file re-indexes, its old entries serve until their new versions are ready")
    func oldVersionServesMeanwhile() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("big.md", Self.file(25, answer: "old"))
        let log = IndexingLog()
        let base = Self.knowledgeBase(folder, log: log)
        await base.reload()
        log.events.withLock { $0 = [] }
        try folder.write("big.md", Self.file(25, answer: "new"))
        await base.reload()
        let events = log.events.withLock { $0 }
        #expect(events.map(\.indexed) == [10, 20, 25])
        for event in events {
            // Never fewer entries, and exactly the first `indexed` are the new version
            #expect(event.served.count == 25)
            #expect(event.served.filter { $0.answer.hasSuffix("new.") }.count == event.indexed)
        }
    }
}
