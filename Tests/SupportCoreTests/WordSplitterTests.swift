import SupportCore
import Testing

@Suite("Word splitter")
struct WordSplitterTests {
    @Test(
        "apostrophes: dropped, kept inside, or separating",
        arguments: [
            (
                "Don't CANCEL my customers' order!", WordSplitter.ApostropheRule.drop,
                ["dont", "cancel", "my", "customers", "order"]
            ),
            ("Don't CANCEL my customers' order!", .keepInside, ["don't", "cancel", "my", "customers", "order"]),
            ("Don’t CANCEL my customers' order!", .separate, ["don", "t", "cancel", "my", "customers", "order"]),
            ("'quoted' it’s", .keepInside, ["quoted", "it's"]),
        ])
    func apostrophes(text: String, rule: WordSplitter.ApostropheRule, expected: [String]) {
        #expect(WordSplitter.words(text, apostrophes: rule) == expected)
    }

    @Test("any script's letters and digits are words; punctuation and symbols separate")
    func scripts() {
        #expect(WordSplitter.words("Où est ma COMMANDE n°42 ?", apostrophes: .drop) == ["où", "est", "ma", "commande", "n", "42"])
        #expect(WordSplitter.words("e\u{301}te\u{301}—ok", apostrophes: .drop) == ["e\u{301}te\u{301}", "ok"])
        #expect(WordSplitter.words("  ", apostrophes: .keepInside).isEmpty)
    }
}
