import Logging
import SupportCore

/// The human side of handoff: agents (clients whose token has the role `agent`) list the
/// handoff queue, join any conversation, write into it and end it. Customers live on a
/// conversation get the agent's words as `agentReply` events; joined agents get the customer's
/// messages as `customerMessage` events.
extension ConversationSession {
    /// Conversations handed to a person, oldest update first.
    public func handoffQueue() async throws(RequestError) -> [Conversation] {
        _ = try requireAgent()
        let store = service.store
        return try await service.withStore(logger: logger) { try await store.conversations(status: .handoff) }
    }

    /// Joins any client's conversation: returns it with its messages, and from now on this
    /// session receives the customer's new messages and the conversation's end.
    public func join(_ id: ConversationID) async throws(RequestError) -> (Conversation, [StoredMessage]) {
        _ = try requireAgent()
        let conversation = try await accessibleConversation(id)
        watch(id, as: .agents)
        service.hub.noteStatus(conversation.status, of: id)
        agentConversation = id
        let store = service.store
        let messages = try await service.withStore(logger: logger) { try await store.messages(conversation: id) }
        if let last = messages.last { service.hub.noteSeq(last.seq, of: id) }
        return (conversation, messages)
    }

    /// Stores an agent's message durably and pushes it to the customer's live sessions. An
    /// open conversation becomes `handoff` first, so the bot stops answering it. Returns the
    /// stored message's id.
    public func say(_ text: String, to id: ConversationID) async throws(RequestError) -> MessageID {
        let agent = try requireAgent()
        try Self.refuseNUL(text, field: "text")
        let conversation = try await accessibleConversation(id)
        guard conversation.status != .ended else {
            throw RequestError(.invalidField, "conversation \(id) has ended")
        }
        watch(id, as: .agents)
        if conversation.status == .open {
            try await service.setStatus(.handoff, of: id, logger: logger)
        } else {
            service.hub.noteStatus(.handoff, of: id)
        }
        let store = service.store
        let stored = try await service.withStore(logger: logger) {
            try await store.append(
                [NewMessage(role: .agent, text: text, route: ChatRoute.agent.rawValue, author: agent.name)], to: id)
        }
        let message = stored[0].id
        service.hub.noteSeq(stored[0].seq, of: id)
        let delivered = service.hub.push(
            .agentReply(conversation: id, message: message, text: text, agent: agent.name), to: .customers, except: mailbox.number
        )
        logger.debug("agent.message.sent", metadata: ["conversation.id": "\(id)", "delivered": "\(delivered)"])
        return message
    }

    /// The conversation text-mode `/say` and `/end` act on, or `missing_field` asking to join one.
    public func joinedConversation() throws(RequestError) -> ConversationID {
        _ = try requireAgent()
        guard let agentConversation else { throw RequestError(.missingField, "join a conversation first: /join ID") }
        return agentConversation
    }
}
