import Foundation
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Conversations, messages and feedback")
struct ConversationTests {
    @Test("a conversation keeps its client, metadata and status; other clients do not see it", arguments: StoreBackend.all)
    func conversationLifecycle(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        // Given: a conversation of client a with metadata
        let created = try await store.createConversation(client: "a", metadata: #"{"page":"/orders"}"#)
        #expect(created.status == .open)
        // Then: a sees it, b does not, and the id is random hex
        #expect(try await store.conversation(id: created.id, client: "a") == created)
        #expect(try await store.conversation(id: created.id, client: "b") == nil)
        #expect(try await store.conversation(id: created.id, client: nil)?.metadata == #"{"page":"/orders"}"#)
        #expect(created.id.rawValue.count == 32)
        // When: it is handed off
        #expect(try await store.setStatus(.handoff, conversation: created.id))
        #expect(try await store.conversations(status: .handoff).map(\.id) == [created.id])
        #expect(try await store.conversations(status: .open).isEmpty)
        #expect(try await !store.setStatus(.ended, conversation: .random()))
    }

    @Test("metadata that is not a JSON object is refused", arguments: StoreBackend.all, ["[1,2]", "not json", "42"])
    func invalidMetadata(backend: StoreBackend, metadata: String) async throws {
        let store = try await backend.makeStore()
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.createConversation(client: "a", metadata: metadata)
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test("appends get consecutive seq numbers and are read back in order", arguments: StoreBackend.all)
    func appendAndRead(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        let source = SourceRef(id: "returns-1", title: "Returns, refunds", file: "faqs/returns.md", score: 0.71)
        let first = try await store.append(pair("where is my order?", "It ships today."), to: conversation)
        let second = try await store.append(pair("refund?", "See our policy.", sources: [source]), to: conversation)
        #expect(first.map(\.seq) == [1, 2])
        #expect(second.map(\.seq) == [3, 4])
        let all = try await store.messages(conversation: conversation)
        #expect(all == first + second)
        #expect(all[3].sources == [source])
        #expect(all[3].latencyMicros == 1500)
        #expect(try await store.message(id: second[1].id) == second[1])
        #expect(try await store.message(id: .random()) == nil)
        #expect(try await store.append([], to: conversation).isEmpty)
    }

    @Test("an append to a missing conversation fails alone; concurrent appends still commit", arguments: StoreBackend.all)
    func appendToMissingConversation(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        // When: good and bad appends race into the same group commits
        let outcomes = await withTaskGroup(of: (Bool, StoreError.Code?).self) { group in
            for index in 0..<40 {
                let good = index % 2 == 0
                group.addTask {
                    do {
                        _ = try await store.append(pair("q\(index)", "a\(index)"), to: good ? conversation : .random())
                        return (good, nil)
                    } catch let error as StoreError {
                        return (good, error.code)
                    } catch {
                        return (good, .database)
                    }
                }
            }
            return await group.reduce(into: [(Bool, StoreError.Code?)]()) { $0.append($1) }
        }
        // Then: every good append committed, every bad one is notFound
        #expect(outcomes.filter { $0.0 }.allSatisfy { $0.1 == nil })
        #expect(outcomes.filter { !$0.0 }.allSatisfy { $0.1 == .notFound })
        #expect(try await store.messages(conversation: conversation).map(\.seq) == Array(1...40))
    }

    @Test("feedback is recorded for bot messages only, and rating again replaces it", arguments: StoreBackend.all)
    func feedback(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        let stored = try await store.append(pair("hi", "hello"), to: conversation)
        try await store.recordFeedback(message: stored[1].id, rating: .down, comment: "too short")
        try await store.recordFeedback(message: stored[1].id, rating: .up, comment: nil)
        let recorded = try #require(try await store.feedback(message: stored[1].id))
        #expect(recorded.rating == .up)
        #expect(recorded.comment == nil)
        let onUser = await #expect(throws: StoreError.self) {
            try await store.recordFeedback(message: stored[0].id, rating: .up, comment: nil)
        }
        #expect(onUser?.code == .invalidArgument)
        let missing = await #expect(throws: StoreError.self) {
            try await store.recordFeedback(message: .random(), rating: .up, comment: nil)
        }
        #expect(missing?.code == .notFound)
    }

    @Test("a bot message's conversation is found for its own client only", arguments: StoreBackend.all)
    func conversationOfBotMessage(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        _ = try await store.createConversation(client: "b", metadata: nil)
        let stored = try await store.append(pair("hi", "hello"), to: conversation)
        #expect(try await store.conversationOfBotMessage(stored[1].id, client: "a") == conversation)
        // Another client's, a user message, a made-up id: all nil alike.
        #expect(try await store.conversationOfBotMessage(stored[1].id, client: "b") == nil)
        #expect(try await store.conversationOfBotMessage(stored[0].id, client: "a") == nil)
        #expect(try await store.conversationOfBotMessage(.random(), client: "a") == nil)
        // A message id that happens to equal a conversation id of the client is still not a message.
        let collision = try #require(MessageID(rawValue: conversation.rawValue))
        #expect(try await store.conversationOfBotMessage(collision, client: "a") == nil)
    }

    @Test("time-ordered message ids start with the creation millisecond and stay unique", arguments: StoreBackend.all)
    func timeOrderedIDs(backend: StoreBackend) async throws {
        let store = try await backend.makeStore(messageIDs: .timeOrdered)
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        var stored = [StoredMessage]()
        for round in 0..<20 {
            stored += try await store.append(pair("q\(round)", "a\(round)"), to: conversation)
        }
        #expect(Set(stored.map(\.id)).count == stored.count)
        for message in stored {
            let prefix = String(message.id.rawValue.prefix(12))
            #expect(Int64(prefix, radix: 16) == Int64((message.createdAt.timeIntervalSince1970 * 1000).rounded()))
        }
        let prefixes = stored.map { $0.id.rawValue.prefix(12) }
        #expect(prefixes == prefixes.sorted())
        #expect(Set(stored.map { $0.id.rawValue.suffix(20) }).count == stored.count)
    }
}
