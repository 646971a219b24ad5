import Testing

@testable import Retrieval

@Suite("Porter2 English stemmer")
struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    @Test("matches the reference Snowball stemmer on thousands of words")
    func matchesSnowball() {
        // Given pairs produced by PyPI snowballstemmer (see SnowballFixture.swift)
        let pairs = snowballEnglishPairs.split(whereSeparator: \.isWhitespace).map { pair in
            let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            return (word: String(parts[0]), stem: String(parts[1]))
        }
        #expect(pairs.count > 4000)
        // When each word is stemmed, Then the stem is the reference one
        let mismatches = pairs.filter { stemmer.stem($0.word) != $0.stem }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).map { "\($0.word): \(stemmer.stem($0.word)) != \($0.stem)" })")
    }

    @Test(
        "stems the algorithm's documented examples",
        arguments: [
            ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"), ("consignment", "consign"),
            ("knightly", "knight"), ("generously", "generous"), ("dying", "die"), ("inning", "inning"),
            ("skies", "sky"), ("news", "news"), ("hoping", "hope"), ("hopping", "hop"), ("caresses", "caress"),
            ("ponies", "poni"), ("ties", "tie"), ("shipping", "ship"), ("refunds", "refund"), ("on", "on"),
        ])
    func documentedExamples(word: String, stem: String) {
        #expect(stemmer.stem(word) == stem)
    }

    @Test("leaves words it cannot handle unchanged", arguments: ["café", "日本", "a-b", ""])
    func nonASCII(word: String) {
        #expect(stemmer.stem(word) == word)
    }
}
