import Foundation
import TestSupport
import Testing

@testable import Encoder

/// Tokenizer behaviour on a small hand-made vocabulary; needs no model files.
struct WordPieceUnitTests {
    static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "unaff", "a", "b", "##b",
        "cafe", "!", ",", "中", "文", "hello", "world", "##s", "$", "5", "x", "##x",
    ]

    static func tokenizer() throws -> (WordPieceTokenizer, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        try (vocabulary.joined(separator: "\n") + "\n").write(to: directory.file("vocab.txt"), atomically: true, encoding: .utf8)
        return (try WordPieceTokenizer(vocabulary: directory.file("vocab.txt")), directory)
    }

    static func id(_ token: String) -> Int32 { Int32(vocabulary.firstIndex(of: token) ?? -1) }

    static let cases: [(text: String, tokens: [String])] = [
        ("unaffable", ["unaff", "##able"]),  // longest first piece wins over "un"
        ("UNAFFABLE!", ["unaff", "##able", "!"]),  // lower-cased, punctuation split off
        ("unaffablez", ["[UNK]"]),  // an unmatched remainder makes the whole word unknown
        ("Café,hello", ["cafe", ",", "hello"]),  // accent stripped
        ("中文", ["中", "文"]),  // CJK characters become words of their own
        ("hello\u{0}\u{200B}s", ["hello", "##s"]),  // controls vanish, joining what surrounds them
        ("a\tb\u{3000}b", ["a", "b", "b"]),  // any Unicode whitespace separates
        ("$5", ["$", "5"]),  // ASCII symbols count as punctuation
        ("hello[MASK]world", ["hello", "[MASK]", "world"]),  // special tokens kept whole, verbatim
        ("hello[mask]", ["hello", "[UNK]", "[UNK]", "[UNK]"]),  // only verbatim: "[", "mask", "]"
        (String(repeating: "x", count: 100), ["x"] + Array(repeating: "##x", count: 99)),
        (String(repeating: "x", count: 101), ["[UNK]"]),  // longer than 100 scalars
        ("", []),
    ]

    @Test(arguments: cases.indices)
    func encodes(_ index: Int) throws {
        let (tokenizer, _) = try Self.tokenizer()
        let (text, tokens) = Self.cases[index]
        let expected = [Self.id("[CLS]")] + tokens.map(Self.id) + [Self.id("[SEP]")]
        #expect(tokenizer.encode(text, maxTokens: 512) == expected, "\(text.debugDescription)")
    }

    @Test(arguments: [2, 3, 5, 100])
    func truncatesToMaxTokens(_ maxTokens: Int) throws {
        let (tokenizer, _) = try Self.tokenizer()
        let ids = tokenizer.encode(String(repeating: "hello ", count: 50), maxTokens: maxTokens)
        #expect(ids.count == min(maxTokens, 52))
        #expect(ids.first == Self.id("[CLS]"))
        #expect(ids.last == Self.id("[SEP]"))
        #expect(ids.dropFirst().dropLast().allSatisfy { $0 == Self.id("hello") })
    }

    @Test func rejectsVocabularyWithoutSpecialTokens() throws {
        let directory = try TemporaryDirectory()
        try "a\nb\n".write(to: directory.file("vocab.txt"), atomically: true, encoding: .utf8)
        let error = #expect(throws: EncoderError.self) { try WordPieceTokenizer(vocabulary: directory.file("vocab.txt")) }
        #expect(error?.code == .invalidVocabulary)
    }

    @Test func rejectsUnsupportedTokenizerJSON() throws {
        let directory = try TemporaryDirectory()
        let json = #"{"model": {"type": "BPE", "vocab": {"a": 0}}, "normalizer": null, "pre_tokenizer": null}"#
        try json.write(to: directory.file("tokenizer.json"), atomically: true, encoding: .utf8)
        let error = #expect(throws: EncoderError.self) { try WordPieceTokenizer(tokenizerJSON: directory.file("tokenizer.json")) }
        #expect(error?.code == .invalidVocabulary)
    }

    @Test func geluMatchesErfDefinition() {
        // The rational erf approximation against libm's double-precision erf over a dense grid.
        var worst: Double = 0
        var x = -12.0
        while x <= 12 {
            let exact = 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
            worst = max(worst, abs(Double(EncoderKernels.gelu(Float(x))) - exact) / max(1, abs(x)))
            x += 0.0009765625
        }
        #expect(worst < 1e-6, "worst relative error \(worst)")
    }
}
