import SupportCore

/// A trivial responder for server and conversation-service tests: echoes the text as a canned
/// answer, and answers "human" with a handoff. It stands in for the assistant so those tests
/// are about the server and the service, not about routing.
public struct EchoResponder: ChatResponder {
    public init() {}

    public func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
        if turn.text == "human" {
            return ChatAnswer(
                text: "Connecting you.", route: .handoff, intent: "talk_to_human", confidence: 0.99, conversationStatus: .handoff)
        }
        if turn.text == "markdown" {
            var answer = ChatAnswer(
                text: "See **the** [returns page](https://shop.example/returns).", route: .faq, intent: "returns",
                confidence: 0.8,
                sources: [SourceRef(id: "returns.md#how", title: "How do returns work?", file: "returns.md", score: 1)])
            answer.generator = "llm"
            return answer
        }
        if turn.text.hasPrefix("stream ") {
            for word in turn.text.dropFirst(7).split(separator: " ") { await onDelta(String(word) + " ") }
        }
        return ChatAnswer(text: "echo: \(turn.text)", route: .canned, intent: "echo", confidence: 0.9)
    }
}
