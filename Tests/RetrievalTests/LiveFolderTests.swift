import Content
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import Retrieval

/// The watched folder end to end: `KnowledgeBase.run()` with real files changing while queries run.
@Suite("Live folder")
struct LiveFolderTests {
    /// A file of `count` entries whose questions all carry `version`, so a reader can tell a
    /// whole version of the file from a partial one.
    static func file(version: String, count: Int = 5) -> String {
        (0..<count).map { "## Question \($0) about \(version)?\nAnswer \($0) for \(version).\n" }.joined(separator: "\n")
    }

    /// Every file in the snapshot shows exactly `count` entries of one version.
    static func isWhole(_ index: FAQIndex, count: Int = 5) -> Bool {
        Dictionary(grouping: index.entries, by: \.file).values.allSatisfy { entries in
            let versions = Set(entries.map { $0.question.split(separator: " ").last ?? "" })
            return entries.count == count && versions.count == 1
        }
    }

    /// State shared between a test and its background readers.
    final class Shared: Sendable {
        let stop = Atomic(false)
        let queries = Atomic(0)
        let partialSnapshots = Atomic(0)
        let problems = Mutex<[String]>([])
    }

    static func startWatching(_ base: KnowledgeBase) -> Task<Void, any Error> {
        Task { try await base.run() }
    }

    @Test("add, change, rename and delete while queries run: no query fails or sees a partial index")
    func changesUnderLoad() async throws {
        // Given a watched folder and readers querying without pause
        let folder = try TemporaryDirectory()
        try folder.write("a.md", Self.file(version: "alpha1"))
        let base = KnowledgeBaseTests.knowledgeBase(folder)
        let watching = Self.startWatching(base)
        #expect(await eventually { base.current.count == 5 })
        let shared = Shared()
        let readers = (0..<2).map { _ in
            Task.detached {
                while !shared.stop.load(ordering: .relaxed) {
                    let index = base.current
                    let result = index.search("question about alpha2 beta1", limit: 5)
                    if !Self.isWhole(index) { shared.problems.withLock { $0.append("partial: \(index.entries.map(\.id))") } }
                    if result.hits.isEmpty { shared.problems.withLock { $0.append("no hits with \(index.count) entries") } }
                    shared.queries.add(1, ordering: .relaxed)
                    await Task.yield()  // the cooperative pool may have only two threads
                }
            }
        }
        // When files are added, changed, renamed and deleted
        try folder.write("b.md", Self.file(version: "beta1"))
        #expect(await eventually { base.current.entries.contains { $0.file == "b.md" } })
        try folder.write("a.md", Self.file(version: "alpha2"))
        #expect(await eventually { base.current.entries.contains { $0.question.hasSuffix("alpha2?") } })
        try folder.move("b.md", to: "c.md")
        #expect(await eventually { Set(base.current.entries.map(\.file)) == ["a.md", "c.md"] })
        try folder.remove("a.md")
        #expect(await eventually { Set(base.current.entries.map(\.file)) == ["c.md"] })
        shared.stop.store(true, ordering: .relaxed)
        for reader in readers { await reader.value }
        watching.cancel()
        // Then every query saw a whole index and found something
        #expect(shared.problems.withLock { $0 }.isEmpty, "\(shared.problems.withLock { $0.prefix(5) })")
        #expect(shared.queries.load(ordering: .relaxed) > 0)
        #expect(!base.current.entries.contains { $0.file == "a.md" || $0.file == "b.md" })
    }

    #if os(Linux)
        static let hasInotify = true
    #else
        static let hasInotify = false
    #endif

    @Test("a file written slowly in chunks is indexed once, complete", .enabled(if: hasInotify))
    func slowWriter() async throws {
        // Given a watched folder with one file
        let folder = try TemporaryDirectory()
        try folder.write("a.md", Self.file(version: "alpha1"))
        let base = KnowledgeBaseTests.knowledgeBase(folder)
        let watching = Self.startWatching(base)
        #expect(await eventually { base.current.count == 5 })
        let shared = Shared()
        let watcher = Task.detached {
            while !shared.stop.load(ordering: .relaxed) {
                if !Self.isWhole(base.current) { shared.partialSnapshots.add(1, ordering: .relaxed) }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        // When a file is written in five chunks, one entry each, with pauses longer than the
        // debounce; every prefix of it is a valid file with fewer entries
        let url = folder.url.appendingPathComponent("slow.md")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        for number in 0..<5 {
            try handle.write(contentsOf: Data("## Question \(number) about slow1?\nAnswer \(number) for slow1.\n\n".utf8))
            try await Task.sleep(for: .milliseconds(600))
        }
        try handle.close()
        // Then it appears whole, and no snapshot ever held part of it
        #expect(await eventually { base.current.entries.filter { $0.file == "slow.md" }.count == 5 })
        shared.stop.store(true, ordering: .relaxed)
        await watcher.value
        watching.cancel()
        #expect(shared.partialSnapshots.load(ordering: .relaxed) == 0)
    }

    @Test("the polling fallback picks up changes too")
    func polling() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("a.md", Self.file(version: "alpha1"))
        let base = KnowledgeBaseTests.knowledgeBase(folder) { $0.forcePolling = true }
        let watching = Self.startWatching(base)
        #expect(await eventually { base.current.count == 5 })
        try folder.write("sub/b.yml", "- question: Do you ship to Canada?\n  answer: Yes.\n")
        #expect(await eventually { base.current.entries.contains { $0.file == "sub/b.yml" } })
        try folder.remove("a.md")
        #expect(await eventually { base.current.entries.map(\.file) == ["sub/b.yml"] })
        watching.cancel()
    }

    @Test("a new subfolder is watched")
    func newSubfolder() async throws {
        let folder = try TemporaryDirectory()
        let base = KnowledgeBaseTests.knowledgeBase(folder)
        let watching = Self.startWatching(base)
        try folder.write("billing/refunds/policy.md", "## When do refunds arrive?\nIn 5 days.\n")
        #expect(await eventually { base.current.count == 1 })
        try folder.write("billing/refunds/policy.md", "## When do refunds post?\nIn 5 days.\n")
        #expect(await eventually { base.current.entries.first?.question == "When do refunds post?" })
        watching.cancel()
    }

    @Test("the folder deleted and recreated: the last index serves while it is gone, then the new folder's files")
    func folderDeletedAndRecreated() async throws {
        let parent = try TemporaryDirectory()
        let faqs = parent.url.appendingPathComponent("faqs")
        try FileManager.default.createDirectory(at: faqs, withIntermediateDirectories: true)
        try Data(Self.file(version: "alpha1").utf8).write(to: faqs.appendingPathComponent("a.md"))
        let base = KnowledgeBase(
            directory: faqs, embedder: nil, configuration: RetrievalConfiguration(), logger: KnowledgeBaseTests.logger)
        let watching = Self.startWatching(base)
        #expect(await eventually { base.current.count == 5 })
        // When the folder goes away, the reload fails with a clear error and the last index serves
        try FileManager.default.removeItem(at: faqs)
        #expect(await eventually { await !base.lastErrors.isEmpty })
        let errors = await base.lastErrors
        #expect(errors.first?.message.contains("folder") == true, "\(errors)")
        #expect(base.current.count == 5)
        // Then a recreated folder is watched again and its files replace the old ones
        try FileManager.default.createDirectory(at: faqs, withIntermediateDirectories: true)
        try Data("## Do you ship to Canada?\nYes.\n".utf8).write(to: faqs.appendingPathComponent("b.md"))
        #expect(await eventually { base.current.entries.map(\.file) == ["b.md"] })
        #expect(await eventually { await base.lastErrors.isEmpty })
        watching.cancel()
    }
}
