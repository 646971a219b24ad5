import Conversations
import Foundation
import SupportCore

/// Text mode's agent commands over the conversation service's handoff operations
/// (`ConversationSession+Agent`).
extension ConnectionSession {
    static let agentTextHelp = [
        "Agent commands:",
        "  /queue                          conversations waiting for a person",
        "  /join ID                        read a conversation and receive its customer's messages",
        "  /say TEXT                       reply to the customer of the joined conversation",
        "  /end                            close the joined conversation",
    ]

    /// Handles an agent's slash command; returns false when `name` is not one.
    func agentCommand(_ name: String, argument: String) async throws -> Bool {
        switch name {
        case "/queue":
            let conversations = try await session.handoffQueue()
            let lines = conversations.map { conversation in
                "\(conversation.id)  \(conversation.client)  waiting since \(RFC3339.string(from: conversation.updatedAt))"
            }
            try await writeText(lines.isEmpty ? ["No conversation is waiting for a person."] : lines)
        case "/join":
            _ = try session.requireAgent()
            guard !argument.isEmpty else { throw RequestError.missing("conversation") }
            guard let id = ConversationID(rawValue: argument) else { throw RequestError.conversationNotFound }
            let (conversation, messages) = try await session.join(id)
            let header = "Joined \(conversation.id) (client \(conversation.client), \(conversation.status.rawValue))."
            try await writeText([header] + messages.map(Self.textHistoryLine))
        case "/say":
            _ = try session.requireAgent()
            guard !argument.isEmpty else { throw RequestError.missing("text") }
            let limit = context.configuration.limits.maxMessageLength
            guard argument.count <= limit else { throw RequestError.invalid("text", "at most \(limit) characters") }
            _ = try await session.say(argument, to: try session.joinedConversation())
            try await writeText(["Sent."])
        case "/end":
            let joined = try session.joinedConversation()
            try await session.end(joined)
            try await writeText(["Ended conversation \(joined)."])
        default:
            return false
        }
        return true
    }

    /// A stored message as text mode shows it: `HH:MM:SS role: text`. What customers and agents
    /// wrote stays on its one line, so it cannot forge the lines that follow it.
    static func textHistoryLine(_ message: StoredMessage) -> String {
        let time = message.createdAt.formatted(.iso8601.time(includingFractionalSeconds: false))
        let text = message.role == .user || message.role == .agent ? TerminalText.oneLine(message.text) : message.text
        return "\(time) \(message.role.rawValue): \(text)"
    }
}
