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

    /// Handles an agent's slash command (the caller has checked that the client is an agent).
    func agentCommand(_ command: TextCommand) async throws {
        switch command {
        case .queue:
            let conversations = try await session.handoffQueue()
            let lines = conversations.map { conversation in
                "\(conversation.id)  \(conversation.client)  waiting since \(RFC3339.string(from: conversation.updatedAt))"
            }
            try await writeText(lines.isEmpty ? ["No conversation is waiting for a person."] : lines)
        case .join(let id):
            let (conversation, messages) = try await session.join(id)
            let header = "Joined \(conversation.id) (client \(conversation.client), \(conversation.status.rawValue))."
            try await writeText([header] + messages.map(Self.textHistoryLine))
        case .say(let text):
            _ = try await session.say(text, to: try session.joinedConversation())
            try await writeText(["Sent."])
        case .end:
            let joined = try session.joinedConversation()
            try await session.end(joined)
            try await writeText(["Ended conversation \(joined)."])
        case .help, .token, .new, .history, .export, .quit, .unknown:
            break
        }
    }

    /// A stored message as text mode shows it: `HH:MM:SS role: text`. What customers and agents
    /// wrote stays on its one line, so it cannot forge the lines that follow it.
    static func textHistoryLine(_ message: StoredMessage) -> String {
        let time = message.createdAt.formatted(.iso8601.time(includingFractionalSeconds: false))
        let text = message.role == .user || message.role == .agent ? TerminalText.oneLine(message.text) : message.text
        return "\(time) \(message.role.rawValue): \(text)"
    }
}
