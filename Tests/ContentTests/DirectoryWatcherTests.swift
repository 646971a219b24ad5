import Content
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@Suite("Directory watcher")
struct DirectoryWatcherTests {
    final class Counter: Sendable {
        let value = Atomic(0)
    }

    /// Runs a watcher in the background, counting its signals.
    final class Recorder: Sendable {
        let signals = Counter()
        let task: Task<Void, Never>

        init(_ watcher: DirectoryWatcher) {
            let signals = self.signals
            task = Task { await watcher.run { signals.value.add(1, ordering: .relaxed) } }
        }

        var count: Int { signals.value.load(ordering: .relaxed) }

        /// Waits (generously) until the count exceeds `count`.
        func waitBeyond(_ count: Int) async -> Bool {
            for _ in 0..<1000 where self.count <= count {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return self.count > count
        }
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func watcher(_ folder: TemporaryDirectory, polling: Bool) -> DirectoryWatcher {
        DirectoryWatcher(
            directory: folder.url,
            configuration: .init(debounce: .milliseconds(100), pollInterval: .milliseconds(100), forcePolling: polling),
            logger: logger, accept: { !FAQLoader.isIgnored(fileName: $0) })
    }

    @Test("signals once at start, then after creations, changes, renames and deletions", arguments: [false, true])
    func signals(polling: Bool) async throws {
        let folder = try TemporaryDirectory()
        let recorder = Recorder(Self.watcher(folder, polling: polling))
        defer { recorder.task.cancel() }
        #expect(await recorder.waitBeyond(0))
        for change in [
            { _ = try folder.write("a.md", "## One?\nYes.\n", atomically: false) },
            { _ = try folder.write("a.md", "## One?\nNo.\n", atomically: false) },
            {
                try FileManager.default.moveItem(
                    at: folder.url.appendingPathComponent("a.md"), to: folder.url.appendingPathComponent("b.md"))
            },
            { try FileManager.default.removeItem(at: folder.url.appendingPathComponent("b.md")) },
            { _ = try folder.write("deep/er/c.yml", "- question: x\n  answer: y\n", atomically: false) },
        ] {
            let before = recorder.count
            try change()
            #expect(await recorder.waitBeyond(before))
        }
    }

    @Test("a file held open for writing is signalled only after it is closed", .enabled(if: isLinux))
    func openForWriting() async throws {
        // Given a watcher that has started
        let folder = try TemporaryDirectory()
        let recorder = Recorder(Self.watcher(folder, polling: false))
        defer { recorder.task.cancel() }
        #expect(await recorder.waitBeyond(0))
        let started = recorder.count
        // When a file is written and kept open well past the debounce
        let url = folder.url.appendingPathComponent("upload.md")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data("## Half?\n".utf8))
        try await Task.sleep(for: .milliseconds(800))
        // Then nothing is signalled until it is closed
        #expect(recorder.count == started)
        try handle.close()
        #expect(await recorder.waitBeyond(started))
    }

    static var isLinux: Bool {
        #if os(Linux)
            true
        #else
            false
        #endif
    }

    @Test("scan lists accepted files with stamps, skipping hidden names and links leading outside")
    func scan() throws {
        let folder = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try folder.write("a.md", "## One?\nYes.\n", atomically: false)
        try folder.write("sub/b.csv", "question,answer\nx,y\n", atomically: false)
        try folder.write(".hidden.md", "## Hidden?\nYes.\n", atomically: false)
        try folder.write("draft.md.part", "## Partial", atomically: false)
        try outside.write("secret.md", "## Secret?\nYes.\n")
        try FileManager.default.createSymbolicLink(
            at: folder.url.appendingPathComponent("leak.md"), withDestinationURL: outside.url.appendingPathComponent("secret.md"))
        let stamps = try DirectoryWatcher.scan(folder.url, accepting: { !FAQLoader.isIgnored(fileName: $0) })
        #expect(stamps.keys.sorted() == ["a.md", "sub/b.csv"])
        #expect(stamps["a.md"]?.size == 13)
        // A rewrite changes the stamp
        try folder.write("a.md", "## One?\nYes!!\n", atomically: false)
        let again = try DirectoryWatcher.scan(folder.url, accepting: { !FAQLoader.isIgnored(fileName: $0) })
        #expect(again["a.md"] != stamps["a.md"])
        #expect(again["sub/b.csv"] == stamps["sub/b.csv"])
    }
}
