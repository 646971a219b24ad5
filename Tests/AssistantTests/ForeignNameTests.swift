import Assistant
import SupportCore
import Testing

/// Messages about another company's account, order or service: found by `MessageSignals.foreignName`
/// and declined by name through the real assistant over the sample domain.
@Suite("Another company's account")
struct ForeignNameTests {
    /// What the sample content might know: the shop, its carriers and the brands it sells.
    static let known: Set<String> = ["ridgeline", "ups", "usps", "canada", "post", "paypal", "gift", "card", "order", "my"]

    static func name(_ text: String) -> String? {
        MessageSignals.foreignName(text) { known.contains($0) }
    }

    @Test(
        "an unknown name that owns an account, order or card, or bills the customer",
        arguments: [
            ("I forgot my Yahoo password", "Yahoo"),
            ("Hulu charged me twice this month", "Hulu"),
            ("A Craigslist seller never sent my tent", "Craigslist"),
            ("what's left on my Bass Pro Shops gift card?", "Bass Pro Shops"),
            ("can you look up my iTunes order", "iTunes"),
        ])
    func foreign(text: String, name: String) {
        #expect(Self.name(text) == name)
    }

    @Test(
        "places, the shop's own names, brands it sells and capitalised first words are not",
        arguments: [
            "Can you ship my order to Halifax?",
            "my Ridgeline account is locked",
            "Is my UPS delivery coming today?",
            "I bought a Marmot jacket from you and the zipper broke",
            "Hiya order status please",
            "Where is order R3391027?",
            "I paid with my PayPal account, where is the refund?",
        ])
    func notForeign(text: String) {
        #expect(Self.name(text) == nil)
    }

    @Test("another company's account is declined by name, our own is answered")
    func declined() async {
        let (assistant, _) = await AssistantFixture.assistant()
        let theirs = await RoutingTests.ask(
            assistant, "I can't get into my Hotmail account, can you reset it?", conversation: .random())
        #expect(theirs.route == .fallback)
        #expect(theirs.intent == "out_of_scope")
        #expect(theirs.text.contains("Hotmail"))
        #expect(theirs.text.contains("talk to a person"))
        let ours = await RoutingTests.ask(assistant, "I can't get into my account, can you reset it?", conversation: .random())
        #expect(ours.route != .fallback)
    }
}
