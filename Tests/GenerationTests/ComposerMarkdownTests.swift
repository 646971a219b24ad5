import Content
import FoundationEssentials
import Generation
import Retrieval
import Testing

@Suite("Grounded composer: Markdown and second entries")
struct ComposerMarkdownTests {
    static func entry(_ question: String, _ answer: String) -> FAQEntry {
        FAQEntry(id: "t.md#\(Slug.make(question))", question: question, answer: answer, file: "t.md", line: 1)
    }

    static func hit(_ entry: FAQEntry, _ score: Double) -> FAQHit {
        FAQHit(entry: entry, score: score, lexicalScore: score, denseScore: nil)
    }

    static let washing = """
        Wash a down bag once or twice a year, or when it starts to lose loft. Washing it more often wears out the down.

        1. Use a front-loading washer; a top-loader can tear the baffles.
        2. Wash it on a gentle cycle with a down-specific soap.
        3. Run an extra rinse cycle.
        4. Tumble dry on low heat with clean tennis balls for 2–3 hours.

        Synthetic bags are washed the same way and dry faster. Storage: keep it loose in its storage sack. \
        A seam that loses down is covered by the warranty. Gift wrapping is available at checkout.
        """

    @Test("a relevant list is kept whole, with every item and in order")
    func listKeptWhole() throws {
        let answer = GroundedComposer().compose(
            question: "how do I wash and dry my down sleeping bag?",
            hits: [Self.hit(Self.entry("How to wash a down sleeping bag", Self.washing), 1)])
        let items = ["1. Use a front-loading", "2. Wash it on a gentle", "3. Run an extra", "4. Tumble dry"]
        var cursor = answer.text.startIndex
        for item in items {
            let range = try #require(answer.text[cursor...].firstRange(of: item), "missing \(item)")
            cursor = range.upperBound
        }
        #expect(!answer.text.contains("Gift wrapping"))
        #expect(answer.text.hasPrefix("Wash a down bag once or twice a year"))
    }

    @Test("a list's lead-in sentence comes with the list")
    func leadInKept() {
        let answer = """
            Returns are free in the US. Our warehouse is in Colorado. We refund within 5 days. Exchanges ship free. \
            To start a return:
            - Open https://example.com/returns.
            - Print the label.
            Gift cards can't be returned.
            """
        let composed = GroundedComposer().compose(
            question: "how do I start a return?", hits: [Self.hit(Self.entry("How do I start a return?", answer), 1)])
        #expect(composed.text.contains("To start a return:\n- Open https://example.com/returns.\n- Print the label."))
    }

    @Test(
        "sentences are not split inside links, URLs, abbreviations or initials",
        arguments: [
            "See [the U.S. Guide. Part 2](https://example.com/a.b) for details. Then come back.",
            "Visit https://example.com/returns. Then print the label.",
            "We ship to the U.S. and Canada, e.g. Ontario. Duties are prepaid.",
            "It costs $2.50 per item. Mon.–Fri. only. That's it.",
        ])
    func splitter(text: String) {
        let composed = GroundedComposer().compose(question: "anything", hits: [Self.hit(Self.entry("Q", text), 1)])
        #expect(composed.text == text, "short answers stay whole")
        // Force trimming with a budget of one unit and check the kept unit is a whole sentence.
        var configuration = ComposerConfiguration()
        configuration.maxSentences = 1
        let first = GroundedComposer(configuration: configuration).compose(
            question: "nothing matches", hits: [Self.hit(Self.entry("Q", text), 1)])
        #expect(text.hasPrefix(first.text))
        #expect(first.text.hasSuffix("."))
        #expect(!first.text.hasSuffix("U.S.") && !first.text.hasSuffix("e.g.") && !first.text.hasSuffix("Mon."))
        #expect(first.text.filter { $0 == "[" }.count == first.text.filter { $0 == "]" }.count)
        #expect(first.text.filter { $0 == "(" }.count == first.text.filter { $0 == ")" }.count)
    }

    @Test("the second entry contributes only sentences about the part of the question the first leaves out")
    func secondEntryFocused() throws {
        let shipping = Self.entry("How long does shipping take?", "Standard shipping takes 3–5 business days.")
        let returns = Self.entry(
            "What is your return policy?",
            "You can return unused items within 60 days. Tags must be attached. Refunds take 5 business days. Gift cards can't be returned."
        )
        let composed = GroundedComposer().compose(
            question: "how long does shipping take, and can I return gift cards?",
            hits: [Self.hit(shipping, 1), Self.hit(returns, 0.95)])
        #expect(composed.sources.map(\.entry.id) == [shipping.id, returns.id])
        let second = try #require(composed.text.components(separatedBy: "\n\nAlso: ").last)
        #expect(second.contains("Gift cards can't be returned."))
        #expect(!second.contains("Tags must be attached."))
    }

    @Test("an answer the question has no words in common with starts from its opening")
    func noOverlap() {
        let answer = "First. Second. Third. Fourth. Fifth. Sixth."
        let composed = GroundedComposer().compose(question: "zzz", hits: [Self.hit(Self.entry("Q", answer), 1)])
        #expect(composed.text == "First. Second. Third. Fourth.")
    }
}
