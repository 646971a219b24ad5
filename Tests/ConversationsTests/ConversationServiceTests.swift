import Conversations
import Logging
import Store
import SupportCore
import TestSupport
import Testing

/// The conversation use case in process: a real in-memory SQLite store, the echo responder, no
/// socket. What a channel would do is done by calling the session directly.
@Suite("Conversation service")
struct ConversationServiceTests {
    static var logger: Logger {
        var logger = Logger(label: "test.conversations")
        logger.logLevel = .critical
        return logger
    }

    /// A service over a fresh in-memory store.
    static func service(
        requireAuth: Bool = false, hold: String? = nil, mailboxCapacity: Int = 256
    ) throws -> (ConversationService, SQLiteStore) {
        let store = try SQLiteStore(path: nil, logger: logger)
        var configuration = ConversationServiceConfiguration(requireAuth: requireAuth, mailboxCapacity: mailboxCapacity)
        if let hold { configuration.handoffHoldMessage = hold }
        return (ConversationService(store: store, responder: EchoResponder(), configuration: configuration, logger: logger), store)
    }

    /// A token-guarded service with the customer `alice` and the agent `sam` signed in.
    static func customerAndAgent(
        mailboxCapacity: Int = 256
    ) async throws -> (SQLiteStore, ConversationSession, ConversationSession) {
        let (service, store) = try Self.service(requireAuth: true, mailboxCapacity: mailboxCapacity)
        let customer = service.makeSession(logger: Self.logger)
        let agent = service.makeSession(logger: Self.logger)
        try await customer.authenticate(token: try await store.createClient(name: "alice", role: .customer))
        try await agent.authenticate(token: try await store.createClient(name: "sam", role: .agent))
        return (store, customer, agent)
    }

    @Test("a message is answered and both messages are stored, in order, before converse returns")
    func conversePersists() async throws {
        let (service, store) = try Self.service()
        let session = service.makeSession(logger: Self.logger)
        defer { session.close() }

        let exchange = try await session.converse(text: "hello there", conversation: nil)

        #expect(exchange.answer.text == "echo: hello there")
        let stored = try await store.messages(conversation: exchange.conversation)
        #expect(stored.map(\.role) == [.user, .bot])
        #expect(stored.map(\.id) == [exchange.userMessage, exchange.replyMessage])
        #expect(stored.map(\.seq) == [1, 2])
        #expect(stored[1].route == "canned")
        #expect(session.currentConversation == exchange.conversation)
        let second = try await session.converse(text: "again", conversation: nil)
        #expect(second.conversation == exchange.conversation)
        #expect(try await session.history(exchange.conversation).count == 4)
    }

    @Test("without tokens every session is the client 'local'; with them, nothing happens before authentication")
    func authentication() async throws {
        let (open, _) = try Self.service()
        #expect(open.makeSession(logger: Self.logger).client?.name == "local")

        let (guarded, store) = try Self.service(requireAuth: true)
        let token = try await store.createClient(name: "alice", role: .customer)
        let session = guarded.makeSession(logger: Self.logger)
        defer { session.close() }
        await #expect(throws: RequestError(.unauthorized, "authenticate first with hello and a token")) {
            _ = try await session.converse(text: "hi", conversation: nil)
        }
        await #expect(throws: RequestError(.unauthorized, "unknown or revoked token")) {
            try await session.authenticate(token: "not-a-token")
        }
        await #expect(throws: RequestError(.unauthorized, "this server requires a token")) {
            try await session.authenticate(token: nil)
        }
        #expect(try await session.authenticate(token: token).name == "alice")
        _ = try await session.converse(text: "hi", conversation: nil)
    }

    @Test("one client never reaches another's conversation: not_found, and nothing is written")
    func isolation() async throws {
        let (service, store) = try Self.service(requireAuth: true)
        let alice = service.makeSession(logger: Self.logger)
        let bob = service.makeSession(logger: Self.logger)
        defer {
            alice.close()
            bob.close()
        }
        try await alice.authenticate(token: try await store.createClient(name: "alice", role: .customer))
        try await bob.authenticate(token: try await store.createClient(name: "bob", role: .customer))
        let theirs = try await alice.converse(text: "private", conversation: nil)

        await #expect(throws: RequestError.conversationNotFound) { _ = try await bob.resume(theirs.conversation) }
        await #expect(throws: RequestError.conversationNotFound) { _ = try await bob.history(theirs.conversation) }
        await #expect(throws: RequestError.conversationNotFound) {
            _ = try await bob.converse(text: "let me in", conversation: theirs.conversation)
        }
        await #expect(throws: RequestError(.notFound, "no such bot message")) {
            try await bob.feedback(message: theirs.replyMessage, rating: .down, comment: nil)
        }
        #expect(try await store.messages(conversation: theirs.conversation).count == 2)
        await #expect(throws: RequestError(.unauthorized, "agent requests need an agent token")) {
            _ = try await bob.join(theirs.conversation)
        }
    }

    @Test("a handoff answer changes the status once; later messages get the hold notice, not the bot")
    func handoffHold() async throws {
        let (service, store) = try Self.service(hold: "A person will answer.")
        let session = service.makeSession(logger: Self.logger)
        defer { session.close() }

        let handoff = try await session.converse(text: "human", conversation: nil)
        #expect(handoff.answer.route == .handoff)
        #expect(try await store.conversation(id: handoff.conversation, client: nil)?.status == .handoff)

        let held = try await session.converse(text: "still there?", conversation: nil)
        #expect(held.answer.text == "A person will answer.")
        #expect(held.answer.route == .handoff)
        #expect(try await store.messages(conversation: handoff.conversation).last?.text == "A person will answer.")
        #expect(try await store.conversations(status: .handoff).map(\.id) == [handoff.conversation])
    }

    @Test("agents and customers meet: queue, join, messages both ways as events, end")
    func agentFlow() async throws {
        let (store, customer, agent) = try await Self.customerAndAgent()
        defer {
            customer.close()
            agent.close()
        }
        let conversation = try await customer.converse(text: "human", conversation: nil).conversation

        #expect(try await agent.handoffQueue().map(\.id) == [conversation])
        let (joined, transcript) = try await agent.join(conversation)
        #expect(joined.client == "alice")
        #expect(transcript.count == 2)

        let said = try await customer.converse(text: "my boots leak", conversation: nil)
        var agentEvents = agent.events.events.makeAsyncIterator()
        #expect(
            await agentEvents.next()?.event
                == .customerMessage(conversation: conversation, message: said.userMessage, text: "my boots leak"))

        let sent = try await agent.say("Sorry to hear that; sending a label.", to: try agent.joinedConversation())
        var customerEvents = customer.events.events.makeAsyncIterator()
        let reply = await customerEvents.next()
        #expect(
            reply?.event
                == .agentReply(
                    conversation: conversation, message: sent, text: "Sorry to hear that; sending a label.", agent: "sam"))
        #expect(reply?.audience == .customers)
        #expect(try await store.messages(conversation: conversation).last?.role == .agent)

        try await agent.end(conversation)
        #expect(await customerEvents.next()?.event == .ended(conversation: conversation))
        #expect(try await store.conversation(id: conversation, client: nil)?.status == .ended)
        await #expect(throws: RequestError(.invalidField, "conversation \(conversation) has ended; start a new one")) {
            _ = try await customer.converse(text: "hello?", conversation: conversation)
        }
        let fresh = try await customer.converse(text: "hello?", conversation: nil)
        #expect(fresh.conversation != conversation)
        #expect(fresh.answer.text == "echo: hello?")
    }

    @Test("an agent's first message hands an open conversation to a person")
    func agentTakesOver() async throws {
        let (store, customer, agent) = try await Self.customerAndAgent()
        defer {
            customer.close()
            agent.close()
        }
        let conversation = try await customer.converse(text: "hi", conversation: nil).conversation

        _ = try await agent.say("Hi, I'm Sam.", to: conversation)

        #expect(try await store.conversation(id: conversation, client: nil)?.status == .handoff)
        let held = try await customer.converse(text: "hi Sam", conversation: nil)
        #expect(held.answer.route == .handoff)
        #expect(throws: RequestError(.missingField, "join a conversation first: /join ID")) {
            _ = try agent.joinedConversation()
        }
    }

    @Test("feedback is recorded for one's own bot messages only")
    func feedback() async throws {
        let (service, store) = try Self.service()
        let session = service.makeSession(logger: Self.logger)
        defer { session.close() }
        let exchange = try await session.converse(text: "hi", conversation: nil)

        try await session.feedback(message: exchange.replyMessage, rating: .up, comment: "thanks")
        await #expect(throws: RequestError(.notFound, "no such bot message")) {
            try await session.feedback(message: exchange.userMessage, rating: .up, comment: nil)
        }
        await #expect(throws: RequestError(.notFound, "no such bot message")) {
            try await session.feedback(message: RecordID.random(), rating: .up, comment: nil)
        }
        let turns = try await store.reportTurns(since: nil, until: nil)
        #expect(turns.first?.feedback?.rating == .up)
        #expect(turns.first?.feedback?.comment == "thanks")
    }

    @Test("a session that never reads its events loses its mailbox, and the sender is not held up")
    func mailboxOverflow() async throws {
        let (store, customer, agent) = try await Self.customerAndAgent(mailboxCapacity: 4)
        defer {
            customer.close()
            agent.close()
        }
        let conversation = try await customer.converse(text: "human", conversation: nil).conversation
        _ = try await agent.join(conversation)

        for index in 1...6 {
            _ = try await customer.converse(text: "message \(index)", conversation: nil)
        }

        #expect(agent.events.overflowed)
        var delivered = 0
        for await _ in agent.events.events { delivered += 1 }
        #expect(delivered == 4)
        #expect(try await store.messages(conversation: conversation).count == 14)
    }
}
