/// Behaviour of the routing pipeline, with documented defaults.
public struct AssistantConfiguration: Sendable {
    /// FAQ hits passed to the generator. Default 3.
    public var retrievalLimit: Int = 3
    /// What the bot says when nothing is confident: what it can do and how to reach a person.
    public var fallbackText: String =
        "Sorry, I'm not sure I understood that. I can help with orders, shipping, returns, billing and your account, or answer questions from our help center. Type \"talk to a person\" to reach our support team."
    /// Said to a message that tries to instruct the bot (override its rules, change its role,
    /// reveal its set-up, claim an authority it cannot check).
    public var declineText: String =
        "I can't help with that. I can help with orders, shipping, returns, billing and your account, or answer questions from our help center. Type \"talk to a person\" to reach our support team."
    /// Said when the message is about another company's account, order or service
    /// (`MessageSignals.foreignName`); `{name}` is the company as the customer wrote it.
    public var foreignNameText: String =
        "I can only see and help with orders and accounts here, so I can't help with {name}. For our orders, shipping, returns, billing or your account, just ask, or type \"talk to a person\" to reach our support team."
    /// Decline messages about another company's account, order or service by name. Default true.
    public var declinesForeignNames = true
    /// Correct slips in content words before routing (`SpellingCorrector`; needs the encoder's
    /// vocabulary). Default true.
    public var correctsSpelling = true
    /// Said on a `route: faq` intent when the knowledge base has nothing relevant.
    public var noAnswerText: String =
        "I couldn't find that in our help center. Could you rephrase it, or type \"talk to a person\" to reach our support team?"
    /// Said when the customer turns down both options of a clarifying question.
    public var clarifyRejectedText: String =
        "No problem. Could you tell me in other words what you need?"
    /// Said after an answer the customer says did not help (a `deny` or `complaint` right after it).
    public var notHelpfulText: String =
        "Sorry that didn't help. Could you tell me a bit more about what you need? Or type \"talk to a person\" and I'll connect you with our support team."
    /// Said when the conversation goes to a person because the bot kept failing (two fallbacks
    /// or "didn't help"s in a row, or a down-rated answer followed by a complaint).
    public var escalationText: String =
        "I'm sorry I couldn't sort this out. I'm passing this conversation to a person on our support team, who will reply here."
    /// Strikes (fallbacks and "that didn't help"s in a row) that hand the conversation over. Default 2.
    public var strikesBeforeHandoff: Int = 2
    /// The intents with a conversational meaning (see `intents/smalltalk.yml`).
    public var affirmIntent = "affirm"
    public var denyIntent = "deny"
    public var complaintIntent = "complaint"
    /// Below this confidence a canned intent yields to a confident FAQ entry (the classifier was
    /// trained on what is stable; the help center may know the specific case). Default 0.5.
    public var sureConfidence: Double = 0.5
    /// Below `sureConfidence`, a confident entry of another topic (not tagged with the intent)
    /// replaces a canned answer only when retrieval's confidence exceeds the classifier's by this
    /// much: the two readings disagree, so one must clearly lead. Default 0.2 (the retrieval
    /// confidence with the reranker is the more eager; without a margin a confident sizing entry
    /// answered "can I swap these boots for the right size?").
    public var offTopicEntryMargin: Double = 0.2
    /// Below the classifier's threshold, an entry tagged with the classifier's best guess is
    /// answered when retrieval's confidence reaches this (two independent readings agree);
    /// otherwise only a confident entry is. Default 0.35 (retrieval alone needs 0.5).
    public var agreementRetrievalConfidence: Double = 0.35
    /// A message of at least this many words that the classifier is torn about is answered
    /// from a matching help-center entry when there is one, rather than with a clarifying
    /// question. Default 7.
    public var specificQuestionWords: Int = 7
    /// Small talk is never worth a clarifying question ("ok thx": thanks or yes?): the top intent answers.
    public var conversationalIntents: Set<String> = ["affirm", "deny", "thanks", "greeting", "goodbye"]
    /// Conversations remembered for follow-ups and clarification. Default 10,000.
    public var contextCapacity: Int = 10_000

    public init() {}
}
