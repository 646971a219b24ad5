import Encoder
import Foundation
import Testing

struct WordPieceTokenizerTests {
    struct Reference: Decodable {
        let group: String
        let text: String
        let ids: [Int32]
    }

    @Test(.enabled(if: ModelFixture.referencesOrRequired, "needs scripts/fetch-encoder and scripts/encoder-reference"))
    func idsMatchHuggingFaceTokenizers() throws {
        try ModelFixture.requireReferences()
        // Given the model's tokenizer.json and ids the `tokenizers` package produced
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: ModelFixture.modelDirectory.appendingPathComponent("tokenizer.json"))
        let references = try ModelFixture.jsonLines("tokenizer.jsonl", as: Reference.self)
        #expect(references.count >= 2_000)
        // When every string is encoded with the 256-token limit
        var mismatches: [String: [String]] = [:]
        for reference in references {
            let ids = tokenizer.encode(reference.text, maxTokens: 256)
            if ids != reference.ids {
                mismatches[reference.group, default: []].append(
                    "\(reference.text.debugDescription)\n  got      \(ids)\n  expected \(reference.ids)")
            }
        }
        // Then all ids are identical
        for (group, failures) in mismatches.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(failures.count) mismatches in group \(group), first:\n\(failures.prefix(5).joined(separator: "\n"))")
        }
        #expect(mismatches.isEmpty)
    }
}
