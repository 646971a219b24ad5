import Testing

@testable import Retrieval

@Suite("English analyzer")
struct EnglishAnalyzerTests {
    let analyzer = EnglishAnalyzer()

    @Test(
        "lower-cases, folds, drops stopwords and stems",
        arguments: [
            ("How do I return my Hiking Boots?", ["return", "hike", "boot"]),
            ("Café RÉSUMÉ naïve", ["cafe", "resum", "naiv"]),
            ("Straße ﬁsh", ["strass", "fish"]),
            ("Don’t ship it—we're shipping 2 tents!", ["ship", "ship", "2", "tent"]),
            ("customer's orders", ["custom", "order"]),
            ("", []),
            ("what is it?", []),
        ])
    func terms(text: String, expected: [String]) {
        #expect(analyzer.terms(text) == expected)
    }

    @Test("exact keys ignore case, accents, punctuation and spacing, not words")
    func exactKey() {
        #expect(EnglishAnalyzer.exactKey("How long does  shipping take?") == "how long does shipping take")
        #expect(
            EnglishAnalyzer.exactKey("  HOW long does shipping TAKE ") == EnglishAnalyzer.exactKey("how long does shipping take"))
        #expect(EnglishAnalyzer.exactKey("Où est le café") == "ou est le cafe")
        #expect(EnglishAnalyzer.exactKey("how long does shipping take") != EnglishAnalyzer.exactKey("how long does delivery take"))
    }

    @Test("negations are not stopwords")
    func negations() {
        #expect(analyzer.terms("not waterproof") == ["not", "waterproof"])
    }
}
