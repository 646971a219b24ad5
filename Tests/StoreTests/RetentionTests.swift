import Foundation
import GRDB
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Retention")
struct RetentionTests {
    @Test("purge deletes old ended conversations with their messages and feedback, in batches", arguments: StoreBackend.all)
    func purgeOldEnded(backend: StoreBackend) async throws {
        // Given: 5 old ended, 2 recently ended and 2 old open conversations, each with 2 pairs
        let store = try await backend.makeStore(file: true)
        var oldEnded = [ConversationID]()
        var kept = [ConversationID]()
        for index in 0..<9 {
            let id = try await store.createConversation(client: "c", metadata: nil).id
            _ = try await store.append(pair("q", "a"), to: id)
            let stored = try await store.append(pair("q", "a"), to: id)
            try await store.recordFeedback(message: stored[1].id, rating: .up, comment: nil)
            if index < 7 {
                #expect(try await store.setStatus(.ended, conversation: id))
            }
            if index < 5 {
                oldEnded.append(id)
            } else {
                kept.append(id)
            }
        }
        let oldIDs = oldEnded + kept.suffix(2)
        let hundredDaysAgo = Date().addingTimeInterval(-100 * 86_400).timeIntervalSince1970 * 1000
        try await backend.execute(
            oldIDs.map { "UPDATE conversations SET updated_at = \(Int64(hundredDaysAgo)) WHERE id = '\($0.rawValue)'" }, in: store)
        // When: conversations older than 90 days are purged, two per batch
        let summary = try await store.purge(olderThan: Date().addingTimeInterval(-90 * 86_400), batchSize: 2)
        // Then: exactly the old ended ones are gone
        #expect(summary == PurgeSummary(conversations: 5, messages: 20, feedback: 5, batches: 3))
        for id in oldEnded {
            #expect(try await store.conversation(id: id, client: nil) == nil)
            #expect(try await store.messages(conversation: id).isEmpty)
        }
        for id in kept {
            #expect(try await store.messages(conversation: id).count == 4)
        }
        #expect(try await store.purge(olderThan: Date().addingTimeInterval(-90 * 86_400)) == PurgeSummary())
        let orphans = try await backend.count(
            "SELECT count(*) FROM feedback WHERE message_id NOT IN (SELECT id FROM messages)", in: store)
        #expect(orphans == 0)
    }

    @Test("an invalid batch size is refused", arguments: StoreBackend.all, [0, -1, 10_001])
    func invalidBatchSize(backend: StoreBackend, size: Int) async throws {
        let store = try await backend.makeStore()
        let error = await #expect(throws: StoreError.self) { _ = try await store.purge(olderThan: Date(), batchSize: size) }
        #expect(error?.code == .invalidArgument)
    }
}
