import Content
import Generation
import Retrieval
import Testing

/// Polarity traps: an entry's leading "Yes."/"No." answers the entry's own question; asked
/// anything else, the same word may say the opposite, so the composer must not open with it.
@Suite("Grounded composer: yes/no openers")
struct ComposerPolarityTests {
    typealias Fixture = GenerationFixture

    /// Every sample entry whose answer opens with a bare Yes or No.
    static let polarEntries = Fixture.entries.filter { entry in
        ["Yes.", "Yes,", "No.", "No,"].contains { entry.answer.hasPrefix($0) }
    }

    static func hit(_ entry: FAQEntry) -> FAQHit {
        FAQHit(entry: entry, score: 1, lexicalScore: 1, denseScore: nil)
    }

    static func opensWithPolarity(_ text: String) -> Bool {
        text.hasPrefix("Yes") || text.hasPrefix("No ") || text.hasPrefix("No.") || text.hasPrefix("No,")
    }

    @Test("the sample help center has yes/no entries to trap")
    func sampleHasPolarEntries() {
        #expect(Self.polarEntries.count >= 10)
    }

    @Test("asked its own question, an entry keeps its Yes/No")
    func ownQuestionKeepsOpener() {
        for entry in Self.polarEntries {
            let answer = GroundedComposer().compose(question: entry.question, hits: [Self.hit(entry)])
            #expect(Self.opensWithPolarity(answer.text), "\(entry.id): \(answer.text.prefix(60))")
        }
    }

    @Test("asked a different question that leads to it, no entry's Yes/No is repeated (trap for every yes/no entry)")
    func trapsDropOpener() {
        let traps = [
            "is it still true for an item I got from my aunt, bought during a sale, ", "my friend said the opposite about this: ",
        ]
        for entry in Self.polarEntries {
            for trap in traps {
                let question = trap + entry.question
                let answer = GroundedComposer().compose(question: question, hits: [Self.hit(entry)])
                #expect(!Self.opensWithPolarity(answer.text), "\(entry.id) asked as \"\(question)\": \(answer.text.prefix(60))")
                #expect(answer.text.first?.isUppercase == true, "\(entry.id): \(answer.text.prefix(60))")
            }
        }
    }

    @Test(
        "dropping the opener keeps the entry's statement and starts it with a capital",
        arguments: [
            ("No. Gift cards never expire.", "Gift cards never expire."),
            ("No, gift cards can't be redeemed for cash.", "Gift cards can't be redeemed for cash."),
            ("Yes; within 30 days.", "Within 30 days."),
            ("Yesterday's orders ship today.", "Yesterday's orders ship today."),
            ("Nothing to add.", "Nothing to add."),
        ])
    func opener(text: String, expected: String) {
        let entry = FAQEntry(id: "t#1", question: "Do gift cards expire?", answer: text, file: "t", line: 1)
        let answer = GroundedComposer().compose(question: "my aunt's old card from a sale, is it fine", hits: [Self.hit(entry)])
        #expect(answer.text == expected)
    }
}
