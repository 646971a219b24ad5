import Assistant
import Foundation
import Store

/// The human side of handoff: agents (clients whose token has the role `agent`) list the
/// handoff queue, join any conversation, write into it and end it. Customers live on a
/// conversation get the agent's words pushed as a `reply` with route `agent`; joined agents get
/// the customer's messages pushed as `customer` events (see `ConversationHub`).
extension ConnectionSession {
    static let agentTextHelp = [
        "Agent commands:",
        "  /queue                          conversations waiting for a person",
        "  /join ID                        read a conversation and receive its customer's messages",
        "  /say TEXT                       reply to the customer of the joined conversation",
        "  /end                            close the joined conversation",
    ]

    /// The client, which must be an agent; customers get `unauthorized`.
    func requireAgent() throws(ProtocolError) -> Client {
        let client = try requireClient()
        guard client.role == .agent else {
            throw ProtocolError(.unauthorized, "agent requests need an agent token")
        }
        return client
    }

    /// Conversations handed to a person, oldest update first.
    func handoffQueue() async throws(ProtocolError) -> [Conversation] {
        _ = try requireAgent()
        do {
            return try await context.store.conversations(status: .handoff)
        } catch {
            throw storeFailure(error)
        }
    }

    /// Joins any client's conversation: returns it with its messages, and from now on this
    /// connection receives the customer's new messages and the conversation's end.
    func join(_ id: ConversationID) async throws(ProtocolError) -> (Conversation, [StoredMessage]) {
        _ = try requireAgent()
        let conversation = try await accessibleConversation(id)
        watch(id, as: .agents)
        context.hub.noteStatus(conversation.status, of: id)
        agentConversation = id
        do {
            return (conversation, try await context.store.messages(conversation: id))
        } catch {
            throw storeFailure(error)
        }
    }

    /// Stores an agent's message durably and pushes it to the customer's live connections. An
    /// open conversation becomes `handoff` first, so the bot stops answering it. Returns the
    /// stored message's id.
    func sendAgentMessage(_ text: String, to id: ConversationID) async throws(ProtocolError) -> MessageID {
        let agent = try requireAgent()
        let conversation = try await accessibleConversation(id)
        guard conversation.status != .ended else {
            throw ProtocolError(.invalidField, "conversation \(id) has ended")
        }
        watch(id, as: .agents)
        let stored: [StoredMessage]
        do {
            if conversation.status == .open {
                _ = try await context.store.setStatus(.handoff, conversation: id)
            }
            context.hub.noteStatus(.handoff, of: id)
            stored = try await context.store.append([NewMessage(role: .agent, text: text, route: ChatRoute.agent.rawValue)], to: id)
        } catch {
            throw storeFailure(error)
        }
        let message = stored[0].id
        let delivered = context.hub.push(
            .agentReply(conversation: id, message: message, text: text, agent: agent.name), to: .customers, except: mailbox.number
        )
        logger.debug("agent message sent", metadata: ["conversation.id": "\(id)", "delivered": "\(delivered)"])
        return message
    }

    // MARK: Text mode

    /// Handles an agent's slash command; returns false when `name` is not one.
    func agentCommand(_ name: String, argument: String) async throws -> Bool {
        switch name {
        case "/queue":
            let conversations = try await handoffQueue()
            let lines = conversations.map { conversation in
                "\(conversation.id)  \(conversation.client)  waiting since \(RFC3339.string(from: conversation.updatedAt))"
            }
            try await writeText(lines.isEmpty ? ["No conversation is waiting for a person."] : lines)
        case "/join":
            _ = try requireAgent()
            guard !argument.isEmpty else { throw ProtocolError.missing("conversation") }
            guard let id = ConversationID(rawValue: argument) else { throw ProtocolError.conversationNotFound }
            let (conversation, messages) = try await join(id)
            let header = "Joined \(conversation.id) (client \(conversation.client), \(conversation.status.rawValue))."
            try await writeText([header] + messages.map(Self.textHistoryLine))
        case "/say":
            _ = try requireAgent()
            guard !argument.isEmpty else { throw ProtocolError.missing("text") }
            let limit = context.configuration.limits.maxMessageLength
            guard argument.count <= limit else { throw ProtocolError.invalid("text", "at most \(limit) characters") }
            guard let agentConversation else { throw ProtocolError(.missingField, "join a conversation first: /join ID") }
            _ = try await sendAgentMessage(argument, to: agentConversation)
            try await writeText(["Sent."])
        case "/end":
            _ = try requireAgent()
            guard let agentConversation else { throw ProtocolError(.missingField, "join a conversation first: /join ID") }
            try await end(agentConversation)
            try await writeText(["Ended conversation \(agentConversation)."])
        default:
            return false
        }
        return true
    }

    /// A stored message as text mode shows it: `HH:MM:SS role: text`.
    static func textHistoryLine(_ message: StoredMessage) -> String {
        let time = message.createdAt.formatted(.iso8601.time(includingFractionalSeconds: false))
        return "\(time) \(message.role.rawValue): \(message.text)"
    }
}
