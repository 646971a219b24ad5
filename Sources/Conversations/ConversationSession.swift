import Foundation
import Logging
import SupportCore

/// One client's session with the conversation service: who it is, its current conversation,
/// the conversation an agent joined, and the events pushed to it. A channel makes one per
/// connection and calls it from the connection's own task, one request at a time, so it needs
/// no locking.
public final class ConversationSession {
    /// A customer message as answered and stored.
    public struct Exchange: Sendable, Hashable {
        public var conversation: ConversationID
        /// The stored customer message.
        public var userMessage: MessageID
        /// The stored answer (bot, or the handoff hold notice).
        public var replyMessage: MessageID
        public var answer: ChatAnswer
    }

    let service: ConversationService
    let mailbox: EventMailbox
    /// The channel's logger, with `client.name` once authenticated.
    public private(set) var logger: Logger
    /// The authenticated client; `local` when the service needs no tokens.
    public private(set) var client: Client?
    /// The session's current conversation, created on first use.
    public private(set) var currentConversation: ConversationID?
    /// For agents: the conversation last joined or written into, which text-mode `/say` and
    /// `/end` act on.
    public internal(set) var agentConversation: ConversationID?

    init(service: ConversationService, mailbox: EventMailbox, logger: Logger) {
        self.service = service
        self.mailbox = mailbox
        self.logger = logger
        if !service.configuration.requireAuth {
            client = Client(name: "local", role: .customer, createdAt: Date())
        }
    }

    /// Where events for this session arrive, in order; a channel drains it from a task of its
    /// own. Its stream finishes when the session closes or stops reading (`overflowed`).
    public var events: EventMailbox { mailbox }

    /// Leaves every conversation and ends the event stream. Call once, when the channel closes.
    public func close() {
        if let client { service.liveClients.remove(client.name, mailbox) }
        service.hub.unregister(mailbox.number)
        mailbox.close()
    }

    // MARK: Identity

    /// The client, or `unauthorized` when the service needs a token and none was given.
    public func requireClient() throws(RequestError) -> Client {
        guard let client else {
            throw RequestError(.unauthorized, "authenticate first with hello and a token")
        }
        return client
    }

    /// The client, which must be an agent; customers get `unauthorized`.
    public func requireAgent() throws(RequestError) -> Client {
        let client = try requireClient()
        guard client.role == .agent else {
            throw RequestError(.unauthorized, "agent requests need an agent token")
        }
        return client
    }

    /// Authenticates with a token (or as `local` on a service that needs none). A new identity
    /// leaves the previous one's conversations; a refused token leaves the session
    /// unauthenticated (or `local` on a service that needs no tokens), whoever it was before.
    @discardableResult
    public func authenticate(token: String?) async throws(RequestError) -> Client {
        guard let token, !token.isEmpty else {
            if service.configuration.requireAuth {
                signOut()
                throw RequestError(.unauthorized, "this server requires a token")
            }
            return try requireClient()
        }
        let store = service.store
        let found = try await service.withStore(logger: logger) { try await store.authenticate(token: token) }
        guard let found else {
            signOut()
            throw RequestError(.unauthorized, "unknown or revoked token")
        }
        guard found.role != .admin else {
            signOut()
            throw RequestError(
                .unauthorized, "an admin token opens the analytics page (/admin) only; chat with a customer or agent token")
        }
        if let client { service.liveClients.remove(client.name, mailbox) }
        client = found
        service.liveClients.add(found.name, mailbox)
        currentConversation = nil
        agentConversation = nil
        service.hub.unregister(mailbox.number)
        logger[metadataKey: "client.name"] = "\(found.name)"
        return found
    }

    /// Forgets the identity and its conversations: after a refused token, or a sign-in the
    /// transport refused before asking (too many failures from the client's address).
    public func signOut() {
        if let client { service.liveClients.remove(client.name, mailbox) }
        client = service.configuration.requireAuth ? nil : Client(name: "local", role: .customer, createdAt: Date())
        currentConversation = nil
        agentConversation = nil
        service.hub.unregister(mailbox.number)
        logger[metadataKey: "client.name"] = nil
    }

    /// Text with a NUL (U+0000) is refused as a whole: stores and terminals treat NUL as an end
    /// of text, so what was answered and what was kept could differ.
    static func refuseNUL(_ text: String, field: String) throws(RequestError) {
        if text.utf8.contains(0) {
            throw .invalid(field, "free of NUL characters (U+0000)")
        }
    }

    // MARK: Conversations

    /// A conversation of this client, or `not_found` (also for other clients' conversations).
    func ownConversation(_ id: ConversationID) async throws(RequestError) -> Conversation {
        let client = try requireClient()
        let store = service.store
        let conversation = try await service.withStore(logger: logger) { try await store.conversation(id: id, client: client.name) }
        guard let conversation else { throw RequestError.conversationNotFound }
        return conversation
    }

    /// A conversation this client may act on: any conversation for an agent, else its own;
    /// `not_found` otherwise.
    func accessibleConversation(_ id: ConversationID) async throws(RequestError) -> Conversation {
        let client = try requireClient()
        guard client.role == .agent else { return try await ownConversation(id) }
        let store = service.store
        let conversation = try await service.withStore(logger: logger) { try await store.conversation(id: id, client: nil) }
        guard let conversation else { throw RequestError.conversationNotFound }
        return conversation
    }

    /// Starts a new conversation and makes it current.
    public func start(metadata: String?) async throws(RequestError) -> Conversation {
        let client = try requireClient()
        let store = service.store
        let conversation = try await service.withStore(logger: logger) {
            try await store.createConversation(client: client.name, metadata: metadata)
        }
        currentConversation = conversation.id
        watch(conversation.id, as: .customers)
        return conversation
    }

    /// Makes one of this client's conversations current again.
    public func resume(_ id: ConversationID) async throws(RequestError) -> Conversation {
        let conversation = try await ownConversation(id)
        currentConversation = conversation.id
        watch(conversation.id, as: .customers)
        service.hub.noteStatus(conversation.status, of: conversation.id)
        return conversation
    }

    /// Registers this session as live on `conversation`, so it receives that side's events.
    func watch(_ conversation: ConversationID, as audience: ConversationAudience) {
        service.hub.register(mailbox, on: conversation, as: audience)
    }

    /// Answers a customer message and returns it with the stored ids, after both messages are
    /// durably committed: this is where a customer message is persisted. `requested` names the
    /// conversation; without it the current one is used, or a new one started (also when an
    /// agent ended the current one). In a conversation handed to a person the bot is not asked:
    /// the customer is told a person will reply, and joined agents get the message.
    public func converse(
        text: String, conversation requested: ConversationID?, onDelta: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws(RequestError) -> Exchange {
        let client = try requireClient()
        try Self.refuseNUL(text, field: "text")
        let conversationID: ConversationID
        let status: ConversationStatus
        if let requested {
            let conversation = try await ownConversation(requested)
            guard conversation.status != .ended else {
                throw RequestError(.invalidField, "conversation \(requested) has ended; start a new one")
            }
            conversationID = requested
            status = conversation.status
        } else if let currentConversation, service.hub.status(of: currentConversation) != .ended {
            conversationID = currentConversation
            status = service.hub.status(of: currentConversation) ?? .open
        } else {
            conversationID = try await start(metadata: nil).id
            status = .open
        }
        watch(conversationID, as: .customers)
        let started = ContinuousClock.now
        let answer: ChatAnswer
        if status == .handoff {
            answer = ChatAnswer(text: service.configuration.handoffHoldMessage, route: .handoff, intent: "handoff", confidence: 1)
        } else {
            let turn = ChatTurn(conversation: conversationID, client: client.name, text: text)
            answer = await service.responder.respond(to: turn, onDelta: onDelta)
        }
        let elapsed = started.duration(to: .now)
        let micros = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
        let messages = [
            NewMessage(role: .user, text: text),
            NewMessage(
                role: .bot, text: answer.text, intent: answer.intent, confidence: answer.confidence,
                route: answer.route.rawValue, sources: answer.sources, latencyMicros: micros
            ),
        ]
        let store = service.store
        let stored = try await service.withStore(logger: logger) { try await store.append(messages, to: conversationID) }
        if let newStatus = answer.conversationStatus, newStatus != status {
            try await service.setStatus(newStatus, of: conversationID, logger: logger)
        }
        service.hub.noteSeq(stored[stored.count - 1].seq, of: conversationID)
        service.hub.push(
            .customerMessage(conversation: conversationID, message: stored[0].id, text: text), to: .agents, except: mailbox.number
        )
        logger.debug(
            "message.answered",
            metadata: [
                "conversation.id": "\(conversationID)", "intent.name": "\(answer.intent)", "route": "\(answer.route.rawValue)",
            ]
        )
        return Exchange(conversation: conversationID, userMessage: stored[0].id, replyMessage: stored[1].id, answer: answer)
    }

    /// Every message of a conversation the client may read, oldest first.
    public func history(_ id: ConversationID) async throws(RequestError) -> [StoredMessage] {
        _ = try await accessibleConversation(id)
        let store = service.store
        return try await service.withStore(logger: logger) { try await store.messages(conversation: id) }
    }

    /// A conversation's transcript in `format`.
    public func export(
        _ id: ConversationID, format: ExportFormat, redact: Bool, guardFormulas: Bool = false
    ) async throws(RequestError) -> String {
        _ = try await accessibleConversation(id)
        let store = service.store
        return try await service.withStore(logger: logger) {
            try await store.export(conversation: id, format: format, redact: redact, guardFormulas: guardFormulas)
        }
    }

    /// Ends a conversation (an agent may end any) and tells everyone else live on it.
    public func end(_ id: ConversationID) async throws(RequestError) {
        _ = try await accessibleConversation(id)
        try await service.setStatus(.ended, of: id, logger: logger)
        service.hub.push(.ended(conversation: id), to: .customers, except: mailbox.number)
        service.hub.push(.ended(conversation: id), to: .agents, except: mailbox.number)
        if currentConversation == id { currentConversation = nil }
        if agentConversation == id { agentConversation = nil }
    }

    /// Records a customer's rating of a bot message of their own, then tells the responder.
    public func feedback(message id: MessageID, rating: Rating, comment: String?) async throws(RequestError) {
        let client = try requireClient()
        if let comment { try Self.refuseNUL(comment, field: "comment") }
        let store = service.store
        let conversation: ConversationID = try await service.withStore(logger: logger) {
            // One query that does the same work whether the message exists, is another client's,
            // or is made up, so that the time taken does not tell them apart
            // (bench/server/feedback-timing).
            guard let conversation = try await store.conversationOfBotMessage(id, client: client.name) else {
                throw RequestError(.notFound, "no such bot message")
            }
            try await store.recordFeedback(message: id, rating: rating, comment: comment)
            return conversation
        }
        await service.responder.noteFeedback(conversation: conversation, rating: rating)
    }
}
