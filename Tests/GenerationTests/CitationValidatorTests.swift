import Generation
import Testing

@Suite("Citation validation")
struct CitationValidatorTests {
    @Test(
        "citations are found in their forms; links and other brackets are not citations",
        arguments: [
            ("Ships in 3 days [1].", [1]),
            ("Yes [1, 3]. Also [2][3].", [1, 3, 2, 3]),
            ("See [the page](https://example.com/2) [2]", [2]),
            ("A list [a] and [1a] and [] and [ ]", []),
            ("Unclosed [1", []),
            ("Big [12345]", []),
        ])
    func finds(text: String, expected: [Int]) {
        #expect(CitationValidator.citations(in: text) == expected)
    }

    @Test("a valid answer reports its highest citation")
    func valid() throws {
        #expect(try CitationValidator.validate("A [1]. B [3].", sourceCount: 3) == 3)
    }

    @Test(
        "answers without valid citations are rejected with the reason",
        arguments: [
            ("No citation here.", 3, LLMFailure.Code.noCitation),
            ("Out of range [4].", 3, .invalidCitation),
            ("Zero [0].", 3, .invalidCitation),
            ("One good [1], one bad [2].", 1, .invalidCitation),
            ("   \n", 3, .empty),
            ("A link is not a citation: [1](https://example.com).", 3, .noCitation),
        ])
    func invalid(text: String, sources: Int, code: LLMFailure.Code) {
        #expect(throws: LLMFailure.self) { try CitationValidator.validate(text, sourceCount: sources) }
        do {
            _ = try CitationValidator.validate(text, sourceCount: sources)
        } catch {
            #expect(error.code == code)
        }
    }
}
