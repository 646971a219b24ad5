import SupportCore

/// Something that happened in a conversation which the people live on it are told about
/// without asking: an agent's reply, a customer's message, the end. Channels encode these
/// (a JSON line with no request `id`, text lines, a WebSocket frame).
public enum ConversationEvent: Sendable, Hashable {
    /// An agent wrote into the conversation (sent to its customers).
    case agentReply(conversation: ConversationID, message: MessageID, text: String, agent: String)
    /// The customer wrote a message (sent to agents who joined the conversation).
    case customerMessage(conversation: ConversationID, message: MessageID, text: String)
    /// The conversation ended (sent to both sides, except the session that ended it).
    case ended(conversation: ConversationID)

    /// The conversation the event belongs to.
    public var conversation: ConversationID {
        switch self {
        case .agentReply(let conversation, _, _, _), .customerMessage(let conversation, _, _), .ended(let conversation):
            conversation
        }
    }
}

/// Which side of a conversation a session is on.
public enum ConversationAudience: Sendable, Hashable {
    case customers, agents
}

/// An event as delivered to one session: what happened, and as which side it is told.
public struct ConversationPush: Sendable, Hashable {
    public var event: ConversationEvent
    public var audience: ConversationAudience
}
