import Classifier
import Content
import Encoder
import Generation
import Logging
import Retrieval
import SupportCore

/// The routing pipeline: classify the message; a confident intent answers by its route
/// (`canned` template, `faq` retrieval + generation, or `handoff`); two close intents get a
/// clarifying question; an unconfident message still tries the knowledge base and is answered
/// only when retrieval is confident; otherwise it falls back with a helpful message. Two
/// failures in a row, or a down-rated answer followed by a complaint, hand the conversation to
/// a person. Independent of the socket server.
public final class Assistant: ChatResponder {
    private let intents: IntentRuntime
    let knowledge: KnowledgeBase
    private let generator: any AnswerGenerator
    let configuration: AssistantConfiguration
    let logger: Logger
    private let memory: ConversationMemory
    private let resolver: ClarificationResolver
    let embeddings: EmbeddingQueue?
    private let termCache = TermCache()
    let spelling = SpellingCorrectorCache()

    /// With `embeddings`, each message is encoded once, batched with concurrent conversations'
    /// messages, and the vector serves both the classifier and retrieval (which must use the same
    /// encoder); without it, each component embeds for itself.
    public init(
        intents: IntentRuntime, knowledge: KnowledgeBase, generator: any AnswerGenerator = GroundedComposer(),
        embeddings: EmbeddingQueue? = nil, configuration: AssistantConfiguration = .init(), logger: Logger
    ) {
        self.embeddings = embeddings
        self.intents = intents
        self.knowledge = knowledge
        self.generator = generator
        self.configuration = configuration
        self.logger = logger
        self.memory = ConversationMemory(capacity: configuration.contextCapacity)
        self.resolver = ClarificationResolver(affirmIntent: configuration.affirmIntent, denyIntent: configuration.denyIntent)
    }

    public func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
        var state = memory.state(of: turn.conversation)
        let snapshot = intents.current
        if let signalled = answerToSignal(turn.text, snapshot: snapshot) {
            let answer = escalateIfNeeded(signalled, state: state)
            remember(turn, embedding: nil, answer: answer, pending: nil)
            return answer
        }
        var turn = turn
        turn.text = correctingSlips(turn.text, snapshot: snapshot)
        if let fix = MessageSignals.correction(turn.text), let previous = state.previousUserTurn {
            // The previous question with the correction applied, asked afresh (not a verdict on
            // the last answer, not an answer to a pending clarification).
            turn.text = previous + " " + fix
            state.pending = nil
            state.lastRoute = nil
        }
        let embedding = await embeddings?.embed(turn.text)
        let classifierEmbedding = snapshot.classifier.encoderIdentity == embeddings?.embedder.identity ? embedding : nil
        let prediction = snapshot.classifier.predict(turn.text, embedding: classifierEmbedding)
        let message = Message(text: turn.text, embedding: embedding, state: state)
        let (routed, pending) = await route(message, snapshot: snapshot, prediction: prediction, onDelta: onDelta)
        let answer = escalateIfNeeded(routed, state: state)
        remember(turn, embedding: embedding, answer: answer, pending: pending)
        return answer
    }

    /// A request for a person is honoured at any turn, whatever else the message says; an
    /// attempt to instruct the bot is declined without being routed at all.
    private func answerToSignal(_ text: String, snapshot: IntentRuntime.Snapshot) -> ChatAnswer? {
        if MessageSignals.isInstructionAttack(text) {
            return ChatAnswer(text: configuration.declineText, route: .fallback, intent: Intent.outOfScope, confidence: 1)
        }
        if MessageSignals.asksForPerson(text) {
            let handoff = snapshot.intents.intents.first { $0.route == .handoff }
            return ChatAnswer(
                text: handoff?.answers.first ?? configuration.escalationText, route: .handoff,
                intent: handoff?.name ?? "handoff", confidence: 1, conversationStatus: .handoff)
        }
        let index = knowledge.current
        if configuration.declinesForeignNames,
            let name = MessageSignals.foreignName(text, isKnown: { snapshot.wordCounts[$0] != nil || index.mentions($0) })
        {
            logger.info("message.foreign-name", metadata: ["name": "\(name)"])
            return ChatAnswer(
                text: configuration.foreignNameText.replacing("{name}", with: name), route: .fallback,
                intent: Intent.outOfScope, confidence: 1)
        }
        return nil
    }

    public func noteFeedback(conversation: ConversationID, rating: Rating) async {
        memory.update(conversation) { $0.downRated = rating == .down }
    }

    // MARK: Routing

    /// One customer message with what is known about it before routing.
    struct Message {
        var text: String
        /// Its embedding, when the assistant embeds messages itself (`EmbeddingQueue`).
        var embedding: [Float]?
        var state: ConversationState
    }

    /// The answer to one turn, and the clarifying question it leaves open, if any.
    private func route(
        _ message: Message, snapshot: IntentRuntime.Snapshot, prediction: Prediction, onDelta: @Sendable (String) async -> Void
    ) async -> (ChatAnswer, ConversationState.PendingClarification?) {
        let state = message.state
        if let pending = state.pending {
            switch resolver.resolve(message.text, options: pending.options, prediction: prediction) {
            case .chosen(let index):
                if let intent = snapshot.intents.intent(named: pending.options[index]) {
                    let original = Message(text: pending.question, embedding: nil, state: state)
                    let chosen = await answer(intent, to: original, confidence: pending.confidences[index], onDelta: onDelta)
                    return (chosen, nil)
                }
            case .rejected:
                let rephrase = ChatAnswer(
                    text: configuration.clarifyRejectedText, route: .clarify, intent: Intent.outOfScope,
                    confidence: prediction.confidence)
                return (rephrase, nil)
            case .unrelated:
                break
            }
        }
        let offer = optionsToOffer(prediction, text: message.text, snapshot: snapshot)
        if prediction.intent == Intent.outOfScope || offer != nil,
            let followUp = await followUpPrediction(message, snapshot: snapshot),
            let intent = snapshot.intents.intent(named: followUp.intent)
        {
            return (await answer(intent, to: message, confidence: followUp.confidence, onDelta: onDelta), nil)
        }
        if let options = offer, Self.wordCount(message.text) >= configuration.specificQuestionWords,
            let answer = await specificAnswer(message, options: options, confidence: prediction.confidence, onDelta: onDelta)
        {
            return (answer, nil)
        }
        if let options = offer {
            let pending = ConversationState.PendingClarification(
                question: message.text, options: options.map(\.name), confidences: options.map(\.confidence))
            return (clarify(options, confidence: prediction.confidence), pending)
        }
        guard prediction.intent != Intent.outOfScope, let intent = snapshot.intents.intent(named: prediction.intent) else {
            return (await fallbackOrFAQ(message, prediction: prediction, onDelta: onDelta), nil)
        }
        if let verdict = verdictOnLastAnswer(intent.name, state: state, confidence: prediction.confidence) {
            return (verdict, nil)
        }
        if intent.route == .canned, !configuration.conversationalIntents.contains(intent.name),
            Self.wordCount(message.text) >= 3
        {
            // Specific beats generic: the canned answer states the topic's general policy; a
            // help-center entry on the same topic (tagged with the intent) that covers what the
            // customer said and the canned answer does not answers the case described. Unsure of
            // the intent, any confident entry that is clearly surer than the classifier wins (a
            // word or two is too vague to be sure of one entry).
            let result = search(message, tagHint: intent.name)
            if let top = result.hits.first,
                (top.entry.tags.contains(intent.name) && result.confidence >= configuration.agreementRetrievalConfidence
                    && coversMore(message.text, entry: top.entry, intent: intent))
                    || (result.isConfident && prediction.confidence < configuration.sureConfidence
                        && result.confidence > prediction.confidence + configuration.offTopicEntryMargin)
            {
                let answer = await answerFromFAQ(
                    message.text, hits: result.hits, intent: intent.name, confidence: prediction.confidence, onDelta: onDelta)
                return (answer, nil)
            }
        }
        return (await answer(intent, to: message, confidence: prediction.confidence, onDelta: onDelta), nil)
    }

    /// Whether the customer named something (a content word) that the entry speaks of and the
    /// intent's canned answer and examples never do: the entry is about their specific case,
    /// the canned answer about the topic in general.
    func coversMore(_ question: String, entry: FAQEntry, intent: Intent) -> Bool {
        let generic = termCache.terms(of: "intent:\(intent.name)", (intent.answers + intent.examples).joined(separator: " "))
        let entryText = ([entry.question] + entry.alternates + [entry.answer]).joined(separator: " ")
        let entryTerms = termCache.terms(of: "entry:\(entry.id)", entryText)
        return termCache.analyzer.terms(question).contains { !generic.contains($0) && entryTerms.contains($0) }
    }

    /// A long question the classifier is torn about is usually one specific question the help
    /// center answers: an entry tagged with either option, found with reasonable confidence,
    /// answers it instead of a clarifying question.
    private func specificAnswer(
        _ message: Message, options: [ScoredIntent], confidence: Double, onDelta: @Sendable (String) async -> Void
    ) async -> ChatAnswer? {
        let result = search(message, tagHint: options[0].name)
        guard let top = result.hits.first,
            result.isConfident
                || (options.contains { top.entry.tags.contains($0.name) }
                    && result.confidence >= configuration.agreementRetrievalConfidence)
        else { return nil }
        let intent = options.first { top.entry.tags.contains($0.name) }?.name ?? options[0].name
        return await answerFromFAQ(message.text, hits: result.hits, intent: intent, confidence: confidence, onDelta: onDelta)
    }

    /// The two intents to ask about: the classifier's close call (`ClarificationRule`), or, for a
    /// message of one or two words that the classifier is unsure of, its two best guesses ("account"
    /// names a topic, not a question). Never between small-talk intents.
    private func optionsToOffer(_ prediction: Prediction, text: String, snapshot: IntentRuntime.Snapshot) -> [ScoredIntent]? {
        var options = snapshot.classifier.clarificationOptions(for: prediction)
        if options == nil, prediction.intent != Intent.outOfScope, prediction.confidence < configuration.sureConfidence,
            Self.wordCount(text) <= 2, prediction.top.count >= 2,
            prediction.top[1].confidence >= snapshot.classifier.clarification.minimumSecond
        {
            options = Array(prediction.top.prefix(2))
        }
        guard let options, options.allSatisfy({ snapshot.intents.intent(named: $0.name) != nil }),
            !options.contains(where: { configuration.conversationalIntents.contains($0.name) }),
            // In a long message, two help-center topics are one question for the FAQ search, not
            // a choice to ask about.
            Self.wordCount(text) < configuration.specificQuestionWords
                || !options.allSatisfy({ snapshot.intents.intent(named: $0.name)?.route == .faq })
        else { return nil }
        return options
    }

    /// A follow-up such as "how long does that take?" means little alone: read together with the
    /// previous user turn, it may be a clear question. The combined reading counts only when it is
    /// confident and unambiguous.
    private func followUpPrediction(_ message: Message, snapshot: IntentRuntime.Snapshot) async -> Prediction? {
        guard let previous = message.state.previousUserTurn, message.state.pending == nil,
            Self.looksLikeFollowUp(message.text)
        else { return nil }
        let combined = previous + " " + message.text
        let embedding = await embeddings?.embed(combined)
        let usable = snapshot.classifier.encoderIdentity == embeddings?.embedder.identity ? embedding : nil
        let prediction = snapshot.classifier.predict(combined, embedding: usable)
        guard prediction.intent != Intent.outOfScope, snapshot.classifier.clarificationOptions(for: prediction) == nil else {
            return nil
        }
        return prediction
    }

    private static let referringWords: Set<Substring> = [
        "that", "it", "this", "those", "these", "they", "them", "there", "its", "one",
    ]
    private static let followUpOpenings = ["and ", "what about", "how about", "also "]

    /// Short, and refers back ("that", "it", …) or continues ("and …", "what about …").
    public static func looksLikeFollowUp(_ text: String) -> Bool {
        let lower = text.lowercased()
        let words = WordSplitter.words(text, apostrophes: .separate)
        guard words.count <= 10 else { return false }
        return words.contains { referringWords.contains(Substring($0)) } || followUpOpenings.contains(where: lower.hasPrefix)
    }

    static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }

    /// Whether retrieval should read the message with the previous turn: a follow-up, or a message
    /// too short (six words or fewer) to stand alone.
    static func leansOnContext(_ text: String) -> Bool {
        looksLikeFollowUp(text) || wordCount(text) <= 6
    }

    /// Answers `message` as `intent`, by the intent's route.
    private func answer(
        _ intent: Intent, to message: Message, confidence: Double, onDelta: @Sendable (String) async -> Void
    ) async -> ChatAnswer {
        switch intent.route {
        case .canned:
            let turns = message.state.turns
            let text = intent.answers.isEmpty ? configuration.fallbackText : intent.answers[turns % intent.answers.count]
            return ChatAnswer(text: text, route: .canned, intent: intent.name, confidence: confidence)
        case .handoff:
            let text = intent.answers.first ?? configuration.escalationText
            return ChatAnswer(
                text: text, route: .handoff, intent: intent.name, confidence: confidence, conversationStatus: .handoff)
        case .faq:
            let result = search(message, tagHint: intent.name)
            guard !result.hits.isEmpty else {
                return ChatAnswer(text: configuration.noAnswerText, route: .fallback, intent: intent.name, confidence: confidence)
            }
            return await answerFromFAQ(
                message.text, hits: result.hits, intent: intent.name, confidence: confidence, onDelta: onDelta)
        }
    }

    /// Retrieval with the previous user turn as context, reusing the embeddings already computed
    /// for this message and the previous one when they are of the index's encoder.
    private func search(_ message: Message, tagHint: String?) -> SearchResult {
        let index = knowledge.current
        // A long, self-contained question is searched on its own: the previous one would only pull
        // the results back to the old topic.
        let previous = Self.leansOnContext(message.text) ? message.state.previousUserTurn : nil
        if let embedding = message.embedding, let identity = index.encoderIdentity, identity == embeddings?.embedder.identity {
            guard let previous, message.state.previousTurnEmbedding == nil else {
                return index.search(
                    message.text, queryEmbedding: embedding, previousTurn: previous,
                    previousTurnEmbedding: message.state.previousTurnEmbedding, tagHint: tagHint,
                    limit: configuration.retrievalLimit)
            }
            return index.search(
                message.text, queryEmbedding: embedding, previousTurn: previous, tagHint: tagHint,
                limit: configuration.retrievalLimit)
        }
        return index.search(message.text, previousTurn: previous, tagHint: tagHint, limit: configuration.retrievalLimit)
    }

    /// Asks which of two close intents the customer meant.
    private func clarify(_ options: [ScoredIntent], confidence: Double) -> ChatAnswer {
        let labels = options.enumerated().map { "\($0.offset + 1)) \(ClarificationResolver.label($0.element.name))" }
        let text = "Just to be sure, do you mean \(labels.joined(separator: " or "))? Reply 1 or 2, or tell me more."
        return ChatAnswer(
            text: text, route: .clarify, intent: options[0].name, confidence: confidence, options: options.map(\.name))
    }

    /// "No" or a complaint right after an answer is a verdict on that answer, not a new topic:
    /// after a down-rating a complaint goes to a person; otherwise the bot apologises and asks
    /// for more (a strike towards handoff).
    private func verdictOnLastAnswer(_ intent: String, state: ConversationState, confidence: Double) -> ChatAnswer? {
        let answered: Set<ChatRoute> = [.canned, .faq]
        guard let last = state.lastRoute, answered.contains(last) else { return nil }
        let negative = intent == configuration.complaintIntent || intent == configuration.denyIntent
        if negative, state.downRated {
            return ChatAnswer(
                text: configuration.escalationText, route: .handoff, intent: intent, confidence: confidence,
                conversationStatus: .handoff)
        }
        if intent == configuration.denyIntent || (intent == configuration.complaintIntent && last == .faq) {
            return ChatAnswer(text: configuration.notHelpfulText, route: .fallback, intent: intent, confidence: confidence)
        }
        return nil
    }

    /// No confident intent: answer from the knowledge base only if retrieval is confident, or if
    /// two independent readings agree: the classifier's best (if unconfident) guess and a
    /// reasonably confident entry tagged with that intent. Otherwise fall back honestly.
    private func fallbackOrFAQ(
        _ message: Message, prediction: Prediction, onDelta: @Sendable (String) async -> Void
    ) async -> ChatAnswer {
        let guess = prediction.top.first.flatMap { intents.current.intents.intent(named: $0.name) }
        let result = search(message, tagHint: guess?.name)
        let agreed =
            guess.map { guess in
                result.hits.first?.entry.tags.contains(guess.name) == true
                    && result.confidence >= configuration.agreementRetrievalConfidence
            } ?? false
        if result.isConfident || agreed, !result.hits.isEmpty {
            return await answerFromFAQ(
                message.text, hits: result.hits, intent: Intent.outOfScope, confidence: prediction.confidence, onDelta: onDelta)
        }
        return ChatAnswer(
            text: configuration.fallbackText, route: .fallback, intent: Intent.outOfScope, confidence: prediction.confidence)
    }

    private func answerFromFAQ(
        _ question: String, hits: [FAQHit], intent: String, confidence: Double, onDelta: @Sendable (String) async -> Void
    ) async -> ChatAnswer {
        let generated = await generator.generate(question: question, hits: hits, onDelta: onDelta)
        let sources = generated.sources.map {
            SourceRef(id: $0.entry.id, title: $0.entry.question, file: $0.entry.file, score: $0.score, url: $0.entry.url)
        }
        var answer = ChatAnswer(text: generated.text, route: .faq, intent: intent, confidence: confidence, sources: sources)
        answer.generator = generated.generator
        return answer
    }

    // MARK: Conversation state

    /// A fallback that makes `strikesBeforeHandoff` failures in a row hands over instead.
    private func escalateIfNeeded(_ answer: ChatAnswer, state: ConversationState) -> ChatAnswer {
        guard answer.route == .fallback, state.strikes + 1 >= configuration.strikesBeforeHandoff else { return answer }
        logger.info("conversation.escalated", metadata: ["reason": "repeated fallbacks", "strikes": "\(state.strikes + 1)"])
        return ChatAnswer(
            text: configuration.escalationText, route: .handoff, intent: answer.intent, confidence: answer.confidence,
            conversationStatus: .handoff)
    }

    private func remember(
        _ turn: ChatTurn, embedding: [Float]?, answer: ChatAnswer, pending: ConversationState.PendingClarification?
    ) {
        memory.update(turn.conversation) { state in
            state.turns += 1
            // "2" or "the first" says nothing a follow-up could use; the question it answered does.
            let shortReply = Self.wordCount(turn.text) <= 4
            if shortReply, let question = state.pending?.question {
                state.previousUserTurn = question
                state.previousTurnEmbedding = nil
            } else {
                state.previousUserTurn = turn.text
                state.previousTurnEmbedding = embedding
            }
            state.downRated = false
            state.lastRoute = answer.route
            switch answer.route {
            case .fallback: state.strikes += 1
            case .clarify: break
            case .canned, .faq, .handoff, .agent: state.strikes = 0
            }
            state.pending = pending
        }
    }
}
