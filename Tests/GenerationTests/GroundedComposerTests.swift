import Content
import Foundation
import Generation
import Retrieval
import Testing

@Suite("Grounded composer")
struct GroundedComposerTests {
    static func entry(_ question: String, _ answer: String, file: String = "test.md") -> FAQEntry {
        FAQEntry(id: "\(file)#\(Slug.make(question))", question: question, answer: answer, file: file, line: 1)
    }

    static func hit(_ entry: FAQEntry, _ score: Double) -> FAQHit {
        FAQHit(entry: entry, score: score, lexicalScore: score, denseScore: nil)
    }

    static let longAnswer = """
        Standard shipping takes 3–5 business days within the contiguous US. Orders placed before 2pm ET ship the same day. \
        Expedited shipping takes 2 business days and costs $14.95. Overnight shipping costs $29.95 if you order by 12pm ET. \
        Alaska and Hawaii take 5–10 business days. Fuel canisters ship by ground only. Gift wrapping is available at checkout.
        """

    @Test("a short answer is returned whole, with the entry as its only source")
    func shortAnswer() {
        let entry = Self.entry(
            "Do you ship to Canada?", "Yes. We ship to every Canadian province; duties are collected at checkout.")
        let answer = GroundedComposer().compose(question: "do you ship to canada", hits: [Self.hit(entry, 0.9)])
        #expect(answer.text == entry.answer)
        #expect(answer.sources.map(\.entry.id) == [entry.id])
        #expect(answer.generator == "composer")
    }

    @Test("a long answer is trimmed to sentences about the question, in their original order")
    func trimsLongAnswer() throws {
        let entry = Self.entry("How long does shipping take?", Self.longAnswer)
        let answer = GroundedComposer().compose(question: "how much is overnight shipping?", hits: [Self.hit(entry, 0.8)])
        #expect(answer.text.contains("Overnight shipping costs $29.95"))
        #expect(!answer.text.contains("Gift wrapping"))
        #expect(answer.text.count < Self.longAnswer.count)
        // Every sentence of the answer is a sentence of the entry (nothing invented), in order.
        var cursor = Self.longAnswer.startIndex
        for sentence in answer.text.components(separatedBy: ". ") {
            let range = try #require(Self.longAnswer.range(of: sentence, range: cursor..<Self.longAnswer.endIndex))
            cursor = range.upperBound
        }
    }

    @Test("lists are kept whole")
    func keepsLists() {
        let answer =
            "To return an item:\n\n1. Open your orders.\n2. Choose Return.\n3. Print the label.\n4. Drop it off.\n5. Wait for the email.\n6. Done."
        let entry = Self.entry("How do I return something?", answer)
        #expect(GroundedComposer().compose(question: "how to return", hits: [Self.hit(entry, 1)]).text == answer)
    }

    @Test("a second entry is added only when it covers a distinct part of the question")
    func secondEntry() {
        let shipping = Self.entry("How long does shipping take?", "Standard shipping takes 3–5 business days.")
        let returns = Self.entry("How long do I have to return?", "You have 60 days to return unused items.")
        let similar = Self.entry("How fast is shipping?", "Standard shipping takes 3–5 business days.")
        let composer = GroundedComposer()

        let both = composer.compose(
            question: "how long does shipping take and how many days to return?",
            hits: [Self.hit(shipping, 0.9), Self.hit(returns, 0.85)])
        #expect(both.sources.count == 2)
        #expect(both.text.contains("60 days"))

        let one = composer.compose(
            question: "how long does shipping take?", hits: [Self.hit(shipping, 0.9), Self.hit(similar, 0.88)])
        #expect(one.sources.count == 1)

        let weak = composer.compose(
            question: "how long does shipping take and how many days to return?",
            hits: [Self.hit(shipping, 0.9), Self.hit(returns, 0.3)])
        #expect(weak.sources.count == 1)
    }

    @Test("no hits, no answer")
    func empty() {
        let answer = GroundedComposer().compose(question: "anything", hits: [])
        #expect(answer.text.isEmpty && answer.sources.isEmpty)
    }
}
