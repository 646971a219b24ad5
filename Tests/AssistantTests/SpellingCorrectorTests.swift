import SupportCore
import Testing

@testable import Assistant

/// Slips in content words are corrected before routing; ordinary words never are.
@Suite("Spelling correction")
struct SpellingCorrectorTests {
    static let corrector = SpellingCorrector(
        counts: ["password": 5, "return": 9, "canada": 3, "backordered": 1, "order": 20, "ordered": 4, "opened": 2, "exchange": 2],
        isDictionaryWord: { ["unopened", "ten", "reorder"].contains($0) })

    @Test(
        "a dropped letter, two swapped neighbours, or two dropped letters in a long word",
        arguments: [
            ("forgot my pasword", "forgot my password"),
            ("how do i retrun boots", "how do i return boots"),
            ("u ship to Canda?", "u ship to Canada?"),
            ("y is my tent backordrd", "y is my tent backordered"),
        ])
    func corrects(text: String, expected: String) {
        #expect(Self.corrector.corrected(text).text == expected)
    }

    @Test(
        "content words, ordinary words, short words and extra or substituted letters are left alone",
        arguments: [
            "my ord", "return the unopened one", "ten tents", "I want to reorder", "exchangee please", "pasxword",
        ])
    func leavesAlone(text: String) {
        #expect(Self.corrector.corrected(text).text == text)
    }

    @Test("the most frequent content word wins a tie of slips")
    func frequentWins() {
        let corrector = SpellingCorrector(counts: ["sizes": 1, "sized": 7], isDictionaryWord: { _ in false })
        #expect(corrector.correction(of: "sizd") == "sized")
        #expect(corrector.corrected("sizd and sizs").changes.map(\.to) == ["sized", "sizes"])
    }

    @Test(
        "through the assistant, a misspelt question is answered as the right spelling is",
        .enabled(if: AssistantFixture.hasEncoder))
    func throughAssistant() async throws {
        let assistant = try await AssistantFixture.encodedAssistant()
        for (slip, spelt) in [("do u ship to canda", "do u ship to canada"), ("wheres my pakage", "wheres my package")] {
            let answer = await RoutingTests.ask(assistant, slip, conversation: .random())
            let expected = await RoutingTests.ask(assistant, spelt, conversation: .random())
            #expect(answer.route == expected.route)
            #expect(answer.intent == expected.intent)
            #expect(answer.text == expected.text)
        }
    }
}
