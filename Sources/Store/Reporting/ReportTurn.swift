import Foundation
import SupportCore

/// One bot reply as the operator report reads it: the reply, the customer message it answered
/// (the user message just before it in the same conversation), how it was routed, the state of
/// its conversation and the customer's rating of it, if any.
public struct ReportTurn: Sendable, Hashable, Codable {
    /// The conversation the reply belongs to.
    public var conversation: ConversationID
    /// The conversation's status now (not at the time of the reply).
    public var conversationStatus: ConversationStatus
    /// The bot message's id.
    public var message: MessageID
    /// The bot message's position in its conversation.
    public var seq: Int
    /// The customer's message at `seq − 1`, or nil when the message before the reply is not a
    /// user message (or there is none).
    public var question: String?
    /// The bot's reply text.
    public var answer: String
    /// How the reply was produced (`canned`, `faq`, `clarify`, `fallback`, `handoff`, `agent`), as
    /// stored; nil when the writer recorded none.
    public var route: String?
    /// The classifier's intent for the question, as stored (`out_of_scope` when none passed).
    public var intent: String?
    /// The intent's confidence, as stored.
    public var confidence: Double?
    /// Ids of the FAQ entries the reply cited, best first.
    public var sources: [String]
    /// When the reply was committed.
    public var createdAt: Date
    /// The customer's rating of the reply, if any.
    public var feedback: Feedback?

    public init(
        conversation: ConversationID, conversationStatus: ConversationStatus, message: MessageID, seq: Int,
        question: String?, answer: String, route: String?, intent: String?, confidence: Double?, sources: [String],
        createdAt: Date, feedback: Feedback?
    ) {
        self.conversation = conversation
        self.conversationStatus = conversationStatus
        self.message = message
        self.seq = seq
        self.question = question
        self.answer = answer
        self.route = route
        self.intent = intent
        self.confidence = confidence
        self.sources = sources
        self.createdAt = createdAt
        self.feedback = feedback
    }
}

extension ReportTurn {
    /// The report query up to its optional time window, the same on every backend: bot messages
    /// (`b`) joined to their conversation, the user message at `seq − 1` (`u`, served by the
    /// `(conversation_id, seq)` unique index) and their feedback. Columns in the order the
    /// stores decode them.
    package static let querySQL = """
        SELECT b.id, b.conversation_id, b.seq, b.text, b.route, b.intent, b.confidence, b.sources, b.created_at,
            c.status, u.text, f.rating, f.comment, f.created_at
        FROM messages b
        JOIN conversations c ON c.id = b.conversation_id
        LEFT JOIN messages u ON u.conversation_id = b.conversation_id AND u.seq = b.seq - 1 AND u.role = 'user'
        LEFT JOIN feedback f ON f.message_id = b.id
        WHERE b.role = 'bot'
        """
    /// The order the report reads replies in, after the time window.
    package static let orderSQL = " ORDER BY b.created_at, b.conversation_id, b.seq"
}
