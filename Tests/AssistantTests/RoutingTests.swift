import Assistant
import Content
import Retrieval
import Store
import SupportCore
import Testing

@Suite("Routing over the sample domain")
struct RoutingTests {
    static func ask(_ assistant: Assistant, _ text: String, conversation: ConversationID = .random()) async -> ChatAnswer {
        await assistant.respond(to: ChatTurn(conversation: conversation, client: "test", text: text), onDelta: { _ in })
    }

    @Test(
        "a canned intent answers with its rendered template",
        arguments: [
            ("I forgot my password and can't log in", "reset_password"),
            ("where is my order??", "order_status"),
            ("hello there", "greeting"),
        ])
    func canned(text: String, intent: String) async throws {
        let (assistant, _) = await AssistantFixture.assistant()
        let answer = await Self.ask(assistant, text)
        #expect(answer.route == .canned)
        #expect(answer.intent == intent)
        let definition = try #require(AssistantFixture.intents.intent(named: intent))
        #expect(definition.answers.contains(answer.text))
        #expect(!answer.text.contains("{"))
        #expect(answer.sources.isEmpty)
    }

    @Test("a faq intent retrieves and cites entries of the knowledge base")
    func faq() async throws {
        let (assistant, knowledge) = await AssistantFixture.assistant()
        let answer = await Self.ask(assistant, "how long does standard shipping take?")
        #expect(answer.route == .faq)
        let source = try #require(answer.sources.first)
        let entry = try #require(knowledge.current.search(source.title, limit: 1).hits.first?.entry)
        #expect(source.file == entry.file)
        #expect(answer.text.contains("business days"))
    }

    @Test("talk_to_human hands the conversation off")
    func handoff() async {
        let (assistant, _) = await AssistantFixture.assistant()
        let answer = await Self.ask(assistant, "I want to talk to a real person")
        #expect(answer.route == .handoff)
        #expect(answer.intent == "talk_to_human")
        #expect(answer.conversationStatus == .handoff)
    }

    @Test("something the store cannot help with falls back with a helpful message")
    func fallback() async {
        let (assistant, _) = await AssistantFixture.assistant()
        let answer = await Self.ask(assistant, "what is the capital of mongolia")
        #expect(answer.route == .fallback)
        #expect(answer.intent == Intent.outOfScope)
        #expect(answer.text.contains("talk to a person"))
    }

    @Test("canned answers with variations rotate within a conversation")
    func rotation() async throws {
        let (assistant, _) = await AssistantFixture.assistant()
        let greeting = try #require(AssistantFixture.intents.intent(named: "greeting"))
        try #require(greeting.answers.count > 1)
        let conversation = ConversationID.random()
        var seen = Set<String>()
        for text in ["hi", "hello", "hey there"] {
            let answer = await Self.ask(assistant, text, conversation: conversation)
            if answer.intent == "greeting" { seen.insert(answer.text) }
        }
        #expect(seen.count > 1)
    }
}
