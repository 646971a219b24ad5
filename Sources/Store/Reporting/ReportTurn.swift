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
