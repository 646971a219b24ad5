import Foundation

/// What the server asks of the application: given a customer's message, produce the answer.
/// The server owns the protocol, authentication and persistence; a responder owns only the
/// decision of what to say. Server tests drive the server with a trivial responder, and the
/// assistant is tested with no socket at all.
public protocol ChatResponder: Sendable {
    /// Answers one customer message. `onDelta` receives streamed pieces of the answer text, in
    /// order, when the generator streams; the returned answer's `text` is always complete.
    func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer

    /// A customer rated a bot message of `conversation` (after the rating is stored). A
    /// responder that tracks a conversation's mood uses it: a down-rating followed by a
    /// complaint hands the conversation to a person. The default ignores it.
    func noteFeedback(conversation: ConversationID, rating: Rating) async
}

extension ChatResponder {
    public func noteFeedback(conversation: ConversationID, rating: Rating) async {}
}

/// One customer message and the little context a responder needs about where it was said.
public struct ChatTurn: Sendable, Hashable {
    public var conversation: ConversationID
    public var client: String
    public var text: String

    public init(conversation: ConversationID, client: String, text: String) {
        self.conversation = conversation
        self.client = client
        self.text = text
    }
}

/// How a reply was produced; the wire protocol's `route` field.
public enum ChatRoute: String, Sendable, Hashable, Codable, CaseIterable {
    case canned, faq, clarify, fallback, handoff, agent
}

/// A responder's answer to one turn.
public struct ChatAnswer: Sendable, Hashable {
    public var text: String
    public var route: ChatRoute
    /// The top intent and its confidence; `out_of_scope` when none passed the threshold.
    public var intent: String
    public var confidence: Double
    /// For `faq`: the entries the answer used, best first.
    public var sources: [SourceRef]
    /// For `clarify`: the intent names offered.
    public var options: [String]
    /// Set when the conversation's status must change (e.g. `handoff`).
    public var conversationStatus: ConversationStatus?
    /// For `faq`: which generator wrote the text (`composer` or `llm`).
    public var generator: String?

    public init(
        text: String, route: ChatRoute, intent: String, confidence: Double,
        sources: [SourceRef] = [], options: [String] = [], conversationStatus: ConversationStatus? = nil
    ) {
        self.text = text
        self.route = route
        self.intent = intent
        self.confidence = confidence
        self.sources = sources
        self.options = options
        self.conversationStatus = conversationStatus
    }
}
