import Classifier
import Content
import Generation
import Logging
import Retrieval
import Store
import Synchronization

/// The routing pipeline: classify the message; a confident intent answers by its route
/// (`canned` template, `faq` retrieval + generation, or `handoff`); an unconfident one still
/// tries the knowledge base and answers only when retrieval is confident; otherwise it falls
/// back with a helpful message. Independent of the socket server.
public final class Assistant: ChatResponder {
    private let intents: IntentRuntime
    private let knowledge: KnowledgeBase
    private let generator: any AnswerGenerator
    private let configuration: AssistantConfiguration
    private let logger: Logger
    private let context: Mutex<[ConversationID: TurnContext]>

    /// What the assistant remembers of a conversation between turns.
    struct TurnContext {
        var previousUserTurn: String?
        var turns = 0
    }

    public init(
        intents: IntentRuntime, knowledge: KnowledgeBase, generator: any AnswerGenerator = GroundedComposer(),
        configuration: AssistantConfiguration = .init(), logger: Logger
    ) {
        self.intents = intents
        self.knowledge = knowledge
        self.generator = generator
        self.configuration = configuration
        self.logger = logger
        self.context = Mutex([:])
    }

    public func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
        let remembered = rememberTurn(turn)
        let snapshot = intents.current
        let prediction = snapshot.classifier.predict(turn.text)
        let confidence = prediction.confidence
        guard prediction.intent != Intent.outOfScope, let intent = snapshot.intents.intent(named: prediction.intent) else {
            return await fallbackOrFAQ(turn, previous: remembered.previousUserTurn, confidence: confidence, onDelta: onDelta)
        }
        switch intent.route {
        case .canned:
            let text = intent.answers.isEmpty ? configuration.fallbackText : intent.answers[remembered.turns % intent.answers.count]
            return ChatAnswer(text: text, route: .canned, intent: intent.name, confidence: confidence)
        case .handoff:
            let text = intent.answers.first ?? "Connecting you to a person now."
            return ChatAnswer(text: text, route: .handoff, intent: intent.name, confidence: confidence, conversationStatus: .handoff)
        case .faq:
            let result = knowledge.current.search(
                turn.text, previousTurn: remembered.previousUserTurn, tagHint: intent.name, limit: configuration.retrievalLimit
            )
            guard !result.hits.isEmpty else {
                return ChatAnswer(text: configuration.noAnswerText, route: .fallback, intent: intent.name, confidence: confidence)
            }
            return await answerFromFAQ(turn.text, hits: result.hits, intent: intent.name, confidence: confidence, onDelta: onDelta)
        }
    }

    /// No confident intent: answer from the knowledge base only if retrieval is confident.
    private func fallbackOrFAQ(
        _ turn: ChatTurn, previous: String?, confidence: Double, onDelta: @Sendable (String) async -> Void
    ) async -> ChatAnswer {
        let result = knowledge.current.search(turn.text, previousTurn: previous, tagHint: nil, limit: configuration.retrievalLimit)
        if result.isConfident, !result.hits.isEmpty {
            return await answerFromFAQ(turn.text, hits: result.hits, intent: Intent.outOfScope, confidence: confidence, onDelta: onDelta)
        }
        return ChatAnswer(text: configuration.fallbackText, route: .fallback, intent: Intent.outOfScope, confidence: confidence)
    }

    private func answerFromFAQ(
        _ question: String, hits: [FAQHit], intent: String, confidence: Double, onDelta: @Sendable (String) async -> Void
    ) async -> ChatAnswer {
        let generated = await generator.generate(question: question, hits: hits, onDelta: onDelta)
        let sources = generated.sources.map {
            SourceRef(id: $0.entry.id, title: $0.entry.question, file: $0.entry.file, score: $0.score)
        }
        return ChatAnswer(text: generated.text, route: .faq, intent: intent, confidence: confidence, sources: sources)
    }

    /// Records this turn and returns what was known before it.
    private func rememberTurn(_ turn: ChatTurn) -> TurnContext {
        context.withLock { contexts in
            let previous = contexts[turn.conversation] ?? TurnContext()
            if contexts.count >= configuration.contextCapacity, previous.turns == 0 {
                contexts.removeAll(keepingCapacity: true)
            }
            contexts[turn.conversation] = TurnContext(previousUserTurn: turn.text, turns: previous.turns + 1)
            return previous
        }
    }
}
