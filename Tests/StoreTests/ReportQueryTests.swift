import Foundation
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Report query: bot replies paired with their questions")
struct ReportQueryTests {
    static let source = SourceRef(id: "care.md#washing", title: "How do I wash it?", file: "care.md", score: 0.9)

    @Test("each bot reply is paired with the user message just before it, with feedback and status", arguments: StoreBackend.all)
    func pairsAndFeedback(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let first = try await store.createConversation(client: "web", metadata: nil).id
        let second = try await store.createConversation(client: "web", metadata: nil).id
        let a = try await store.append(pair("where is my order", "It ships tomorrow."), to: first)
        let b = try await store.append(
            pair("how do I wash my jacket", "Use a gentle cycle.", sources: [Self.source]), to: first)
        let c = try await store.append(
            [
                NewMessage(role: .user, text: "do you sell kayaks"),
                NewMessage(role: .bot, text: "Sorry, I'm not sure.", intent: "out_of_scope", confidence: 0.2, route: "fallback"),
                NewMessage(role: .bot, text: "Anything else?", route: "canned"),
                NewMessage(role: .agent, text: "Hi, I'm Sam from support.", route: "agent"),
                NewMessage(role: .user, text: "talk to a person"),
            ], to: second)
        _ = try await store.setStatus(.handoff, conversation: second)
        try await store.recordFeedback(message: a[1].id, rating: .up, comment: nil)
        try await store.recordFeedback(message: b[1].id, rating: .down, comment: "still dirty")

        let turns = try await store.reportTurns()
        #expect(turns.map(\.message) == [a[1].id, b[1].id, c[1].id, c[2].id])
        #expect(turns.map(\.question) == ["where is my order", "how do I wash my jacket", "do you sell kayaks", nil])
        #expect(turns.map(\.answer) == ["It ships tomorrow.", "Use a gentle cycle.", "Sorry, I'm not sure.", "Anything else?"])
        #expect(turns.map(\.route) == ["canned", "faq", "fallback", "canned"])
        #expect(turns.map(\.seq) == [2, 4, 2, 3])
        #expect(turns.map(\.conversationStatus) == [.open, .open, .handoff, .handoff])
        #expect(turns[1].sources == ["care.md#washing"])
        #expect(turns[0].sources.isEmpty)
        #expect(turns[2].intent == "out_of_scope")
        #expect(turns[2].confidence == 0.2)
        #expect(turns[0].feedback?.rating == .up)
        #expect(turns[0].feedback?.comment == nil)
        #expect(turns[1].feedback?.rating == .down)
        #expect(turns[1].feedback?.comment == "still dirty")
        #expect(turns[1].feedback?.message == b[1].id)
        #expect(turns[2].feedback == nil)
        #expect(turns[1].createdAt == b[1].createdAt)

        let counted = try await store.reduceReportTurns(into: 0) { count, _ in count += 1 }
        #expect(counted == turns.count)
    }

    @Test("since and until select replies by their creation time (since inclusive, until exclusive)", arguments: StoreBackend.all)
    func timeWindow(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let conversation = try await store.createConversation(client: "web", metadata: nil).id
        let early = try await store.append(pair("early question", "early answer"), to: conversation)
        try await Task.sleep(for: .milliseconds(20))
        let boundary = Date()
        try await Task.sleep(for: .milliseconds(20))
        let late = try await store.append(pair("late question", "late answer"), to: conversation)

        let after = try await store.reportTurns(since: boundary)
        #expect(after.map(\.message) == [late[1].id])
        #expect(after.first?.question == "late question")
        let before = try await store.reportTurns(until: boundary)
        #expect(before.map(\.message) == [early[1].id])
        let exactSince = try await store.reportTurns(since: late[1].createdAt)
        #expect(exactSince.map(\.message) == [late[1].id])
        let exactUntil = try await store.reportTurns(until: late[1].createdAt)
        #expect(exactUntil.map(\.message) == [early[1].id])
        let both = try await store.reportTurns(since: boundary, until: boundary.addingTimeInterval(3600))
        #expect(both.count == 1)
        let all = try await store.reportTurns()
        #expect(all.count == 2)
    }

    @Test("an empty store has no turns", arguments: StoreBackend.all)
    func empty(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.createConversation(client: "web", metadata: nil)
        #expect(try await store.reportTurns().isEmpty)
    }
}
