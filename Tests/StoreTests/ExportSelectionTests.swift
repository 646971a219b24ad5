import Foundation
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Export selection and streaming")
struct ExportSelectionTests {
    /// A sink that keeps every chunk, to see that output arrives in pieces.
    final class ChunkSink: TranscriptSink, @unchecked Sendable {
        private let lock = NSLock()
        private var chunks = [[UInt8]]()

        func write(_ chunk: [UInt8]) throws {
            lock.lock()
            chunks.append(chunk)
            lock.unlock()
        }

        var count: Int {
            lock.lock()
            defer { lock.unlock() }
            return chunks.count
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: chunks.joined(), as: UTF8.self)
        }
    }

    @Test("client and conversation selections export only their conversations", arguments: StoreBackend.all)
    func selections(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let a1 = try await store.createConversation(client: "a", metadata: nil).id
        let a2 = try await store.createConversation(client: "a", metadata: nil).id
        let b1 = try await store.createConversation(client: "b", metadata: nil).id
        for id in [a1, a2, b1] {
            _ = try await store.append(pair("hello from \(id)", "hi"), to: id)
        }
        let empty = try await store.createConversation(client: "a", metadata: nil).id

        let client = try await store.exportString(ExportRequest(selection: .client("a"), format: .json))
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(client.utf8)) as? [[String: Any]])
        #expect(documents.compactMap { $0["id"] as? String } == [a1, a2, empty].map(\.rawValue))
        #expect((documents.last?["messages"] as? [Any])?.isEmpty == true)

        let all = try await store.exportString(ExportRequest(selection: .all, format: .jsonl))
        #expect(all.split(separator: "\n").count == 6)
        let one = try await store.exportString(ExportRequest(selection: .conversation(b1), format: .jsonl))
        #expect(one.split(separator: "\n").count == 2)
        #expect(one.contains("hello from \(b1)"))
    }

    @Test("since and until select messages by creation time and skip conversations without any", arguments: StoreBackend.all)
    func timeWindow(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let early = try await store.createConversation(client: "a", metadata: nil).id
        let late = try await store.createConversation(client: "a", metadata: nil).id
        let first = try await store.append(pair("early question", "early answer"), to: early)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await store.append(pair("late question", "late answer"), to: late)
        let boundary = second[0].createdAt
        #expect(first[0].createdAt < boundary)

        let after = try await store.exportString(ExportRequest(selection: .all, format: .json, since: boundary))
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [[String: Any]])
        #expect(documents.compactMap { $0["id"] as? String } == [late.rawValue])

        let before = try await store.exportString(ExportRequest(selection: .all, format: .csv, until: boundary))
        let rows = try CSVReader.parse(before).dropFirst()
        #expect(rows.map { $0[4] } == ["early question", "early answer"])
    }

    @Test("a large export streams in chunks and parses back whole", arguments: StoreBackend.all)
    func streamsLargeExport(backend: StoreBackend) async throws {
        // Given: 3,000 messages in 30 conversations
        let directory = try TemporaryDirectory()
        let store = try await backend.makeStore()
        for conversation in 0..<30 {
            let id = try await store.createConversation(client: "c\(conversation % 4)", metadata: nil).id
            for round in 0..<50 {
                _ = try await store.append(pair("question \(round), \"quoted\"\nsecond line", "answer \(round) 🙂"), to: id)
            }
        }
        // When: exported as JSON to a sink and as CSV to a file
        let sink = ChunkSink()
        let summary = try await store.exportTranscripts(ExportRequest(selection: .all, format: .json), to: sink)
        let filePath = directory.path("export.csv")
        let file = try FileHandleSink.create(path: filePath)
        let csvSummary = try await store.exportTranscripts(ExportRequest(selection: .all, format: .csv), to: file)
        try file.handle.close()
        // Then: several chunks arrived, and both parse back to every message
        #expect(summary.conversations == 30)
        #expect(summary.messages == 3_000)
        #expect(sink.count > 1)
        #expect(summary.bytes == sink.text.utf8.count)
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(sink.text.utf8)) as? [[String: Any]])
        #expect(documents.reduce(0) { $0 + (($1["messages"] as? [Any])?.count ?? 0) } == 3_000)
        let csv = try String(contentsOfFile: filePath, encoding: .utf8)
        let rows = try CSVReader.parse(csv)
        #expect(rows.count == 3_001)
        #expect(csvSummary.bytes == csv.utf8.count)
        #expect(rows.dropFirst().allSatisfy { $0.count == 10 })
    }
}
