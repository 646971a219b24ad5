import Application
import Assistant
import Classifier
import Content
import Foundation
import Logging
import Retrieval
import Store
import SupportCore
import Testing

/// Multi-turn behaviour: clarification, handoff triggers and follow-ups, on real content and a
/// really trained (lexical) classifier.
@Suite("Conversation flow")
struct ConversationFlowTests {
    /// Two intents customers cannot be told apart by (identical examples), so any of those
    /// examples must be clarified; plus the conversational intents the flow relies on.
    static let twinIntents = """
        - intent: gift_wrap
          examples: [can you wrap it as a gift, gift wrapping please, send it wrapped as a present, is gift wrap available, wrap my order as a gift, gift options for my order]
          answer: Gift wrap is $5 per item; choose it at checkout.
        - intent: gift_message
          examples: [can you wrap it as a gift, gift wrapping please, send it wrapped as a present, is gift wrap available, wrap my order as a gift, gift options for my order]
          answer: Add a gift message of up to 200 characters at checkout.
        - intent: store_hours
          examples: [when are you open, opening hours, what time do you close, are you open on sunday, store hours, business hours today]
          answer: We're open 9 to 5, Monday to Saturday.
        - intent: deny
          examples: ["no", nope, neither, "not that", no thanks, that's wrong]
          answer: Okay.
        - intent: affirm
          examples: ["yes", yep, sure, correct, that's right, yes please]
          answer: Great.
        """

    static func twinAssistant() async throws -> Assistant {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("twins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("faqs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("intents"), withIntermediateDirectories: true)
        try Data(twinIntents.utf8).write(to: directory.appendingPathComponent("intents/twins.yml"))
        try Data("## Do you gift wrap?\nYes, for $5 per item.\n".utf8).write(to: directory.appendingPathComponent("faqs/gifts.md"))
        let intents = try IntentLoader(directory: directory.appendingPathComponent("intents")).load()
        let classifier = try IntentClassifier.train(intents, embedder: nil)
        return try await AssistantFactory.assemble(
            intents: intents, classifier: classifier, faqs: directory.appendingPathComponent("faqs"), embedder: nil,
            logger: AssistantFixture.logger
        ).assistant
    }

    static func ask(_ assistant: Assistant, _ text: String, in conversation: ConversationID) async -> ChatAnswer {
        await RoutingTests.ask(assistant, text, conversation: conversation)
    }

    @Test(
        "two indistinguishable intents are clarified, and the answer resolves it",
        arguments: [
            ("2", 1), ("the first one", 0), ("1", 0), ("second", 1), ("yes", 0), ("the message one", -1),
        ])
    func clarification(reply: String, choice: Int) async throws {
        let assistant = try await Self.twinAssistant()
        let conversation = ConversationID.random()
        let question = await Self.ask(assistant, "can you wrap it as a gift", in: conversation)
        #expect(question.route == .clarify)
        #expect(Set(question.options) == ["gift_wrap", "gift_message"])
        #expect(question.text.contains("1) gift"))
        let chosenIntent = choice >= 0 ? question.options[choice] : "gift_message"
        let resolved = await Self.ask(assistant, reply, in: conversation)
        #expect(resolved.route == .canned)
        #expect(resolved.intent == chosenIntent)
        #expect(resolved.options.isEmpty)
        // Resolved: the next message is a question of its own again.
        let next = await Self.ask(assistant, "when are you open", in: conversation)
        #expect(next.intent == "store_hours")
    }

    @Test("'no' to a clarifying question asks to rephrase; a new question is answered on its own")
    func clarificationDeclinedOrAbandoned() async throws {
        let assistant = try await Self.twinAssistant()
        let declined = ConversationID.random()
        #expect(await Self.ask(assistant, "gift wrapping please", in: declined).route == .clarify)
        let rephrase = await Self.ask(assistant, "neither", in: declined)
        #expect(rephrase.route == .clarify)
        #expect(rephrase.options.isEmpty)
        #expect(rephrase.text.contains("other words"))

        let abandoned = ConversationID.random()
        #expect(await Self.ask(assistant, "gift wrapping please", in: abandoned).route == .clarify)
        let other = await Self.ask(assistant, "what time do you close on saturday", in: abandoned)
        #expect(other.route == .canned)
        #expect(other.intent == "store_hours")
    }

    @Test("two fallbacks in a row hand the conversation to a person; an answer in between resets")
    func repeatedFallbacks() async {
        let (assistant, _) = await AssistantFixture.assistant()
        let conversation = ConversationID.random()
        let first = await Self.ask(assistant, "what is the capital of mongolia", in: conversation)
        #expect(first.route == .fallback)
        #expect(first.conversationStatus == nil)
        let second = await Self.ask(assistant, "how many moons does jupiter have", in: conversation)
        #expect(second.route == .handoff)
        #expect(second.conversationStatus == .handoff)

        let reset = ConversationID.random()
        #expect(await Self.ask(assistant, "what is the capital of mongolia", in: reset).route == .fallback)
        #expect(await Self.ask(assistant, "where is my order??", in: reset).route == .canned)
        #expect(await Self.ask(assistant, "how many moons does jupiter have", in: reset).route == .fallback)
    }

    @Test("a down-rated answer followed by a complaint goes to a person; without the rating it does not")
    func downRatingThenComplaint() async {
        let (assistant, _) = await AssistantFixture.assistant()
        let rated = ConversationID.random()
        #expect(await Self.ask(assistant, "where is my order??", in: rated).route == .canned)
        await assistant.noteFeedback(conversation: rated, rating: .down)
        let escalated = await Self.ask(assistant, "this is unacceptable", in: rated)
        #expect(escalated.route == .handoff)
        #expect(escalated.conversationStatus == .handoff)

        let unrated = ConversationID.random()
        #expect(await Self.ask(assistant, "where is my order??", in: unrated).route == .canned)
        let complaint = await Self.ask(assistant, "this is unacceptable", in: unrated)
        #expect(complaint.route == .canned)
        #expect(complaint.intent == "complaint")
        #expect(complaint.conversationStatus == nil)
    }

    @Test("'no' right after an answer is read as 'that didn't help', not as a new topic")
    func notHelpful() async {
        let (assistant, _) = await AssistantFixture.assistant()
        let conversation = ConversationID.random()
        #expect(await Self.ask(assistant, "how long does standard shipping take?", in: conversation).route == .faq)
        let verdict = await Self.ask(assistant, "no that's not what I asked", in: conversation)
        #expect(verdict.route == .fallback)
        #expect(verdict.text.contains("didn't help"))
        // It counts as a strike: one more failure hands over.
        let second = await Self.ask(assistant, "what is the capital of mongolia", in: conversation)
        #expect(second.route == .handoff)
    }

    @Test("a follow-up question is answered with the previous turn as context")
    func followUp() async throws {
        let (assistant, _) = await AssistantFixture.assistant()
        let conversation = ConversationID.random()
        let first = await Self.ask(assistant, "do you ship to canada", in: conversation)
        #expect(first.route == .faq)
        let followUp = await Self.ask(assistant, "and what does it cost", in: conversation)
        #expect(followUp.route == .faq)
        let canada = "international.yml#how-much-does-shipping-to-canada-cost-and-how-long-does-it-take"
        #expect(followUp.sources.first?.id == canada, "\(followUp.sources.map(\.id))")
        // The same words without the context are not about Canada.
        let cold = await Self.ask(assistant, "and what does it cost", in: .random())
        #expect(cold.sources.first?.id != canada, "\(cold.sources.map(\.id))")
        #expect(Assistant.looksLikeFollowUp("and to the UK?"))
        #expect(!Assistant.looksLikeFollowUp("how many moons does jupiter have"))
    }
}
