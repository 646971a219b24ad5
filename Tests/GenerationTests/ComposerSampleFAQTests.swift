import Content
import Foundation
import FoundationEssentials
import Generation
import Retrieval
import Testing

/// The composer over the repository's sample FAQs (real files, real retrieval).
@Suite("Grounded composer on the sample FAQs")
struct ComposerSampleFAQTests {
    typealias Fixture = GenerationFixture

    /// Text with every run of whitespace as one space.
    static func squeezed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("every answer to every sample question and alternate is made of the sources' own text")
    func nothingInvented() throws {
        #expect(Fixture.entries.count > 50)
        let composer = GroundedComposer()
        let questions =
            Fixture.entries.flatMap { [$0.question] + $0.alternates }
            + ["how long does shipping take and how long do I have to return?", "do gift cards expire and can I return them?"]
        for question in questions {
            let hits = Fixture.hits(question)
            let answer = composer.compose(question: question, hits: hits)
            try #require(!answer.sources.isEmpty, "no answer for \(question)")
            #expect(answer.sources.first?.entry.id == hits.first?.entry.id)
            // Compared without case: an answer that drops an entry's "No, " opener starts the
            // rest of that sentence with a capital.
            let sourceText = answer.sources.map { Self.squeezed($0.entry.answer).lowercased() }
            // Cut the answer into pieces at sentence ends and blank lines; each piece is verbatim source text.
            let parts = answer.text.components(separatedBy: "\n\n").map { $0.hasPrefix("Also: ") ? String($0.dropFirst(6)) : $0 }
            for part in parts {
                var piece = ""
                for character in Self.squeezed(part) {
                    piece.append(character)
                    if ".!?:".contains(character) {
                        #expect(
                            sourceText.contains { $0.contains(piece.trimmingCharacters(in: .whitespaces).lowercased()) },
                            "\(question): \(piece)"
                        )
                        piece = ""
                    }
                }
                let rest = piece.trimmingCharacters(in: .whitespaces)
                #expect(rest.isEmpty || sourceText.contains { $0.contains(rest.lowercased()) }, "\(question): \(rest)")
            }
        }
    }

    @Test("a second entry that only mentions the other part in passing is not added")
    func passingMentionIsNotADistinctPart() {
        let expire = FAQEntry(
            id: "g#1", question: "Do gift cards expire?", answer: "No. Gift cards never expire.", file: "g", line: 1)
        let use = FAQEntry(
            id: "g#2", question: "How do I use a gift card?",
            answer: "Enter the number at checkout. You can't return items bought with it for cash.", file: "g", line: 2)
        let returns = FAQEntry(
            id: "r#1", question: "Which items can't be returned?", answer: "Gift cards can't be returned.", file: "r", line: 1)
        let question = "do gift cards expire and can I return them?"
        let hit = { (entry: FAQEntry, score: Double) in FAQHit(entry: entry, score: score, lexicalScore: score, denseScore: nil) }
        let passing = GroundedComposer().compose(question: question, hits: [hit(expire, 1), hit(use, 0.95)])
        #expect(passing.sources.count == 1)
        let about = GroundedComposer().compose(question: question, hits: [hit(expire, 1), hit(use, 0.95), hit(returns, 0.9)])
        #expect(about.sources.map(\.entry.id) == ["g#1", "r#1"])
        #expect(about.text == "No. Gift cards never expire.\n\nAlso: Gift cards can't be returned.")
    }
}
