/// Behaviour of the routing pipeline, with documented defaults.
public struct AssistantConfiguration: Sendable {
    /// FAQ hits passed to the generator. Default 3.
    public var retrievalLimit: Int = 3
    /// What the bot says when nothing is confident: what it can do and how to reach a person.
    public var fallbackText: String =
        "Sorry, I'm not sure I understood that. I can help with orders, shipping, returns, billing and your account, or answer questions from our help center. Type \"talk to a person\" to reach our support team."
    /// Said on a `route: faq` intent when the knowledge base has nothing relevant.
    public var noAnswerText: String =
        "I couldn't find that in our help center. Could you rephrase it, or type \"talk to a person\" to reach our support team?"
    /// Conversations whose previous user turn is remembered for follow-up questions. Default 10,000.
    public var contextCapacity: Int = 10_000

    public init() {}
}
