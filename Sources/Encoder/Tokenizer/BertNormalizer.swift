import Foundation

/// The BERT text normaliser, as the model's `tokenizer.json` configures it ("BertNormalizer"):
/// drop control characters and map whitespace to a space, put spaces around CJK ideographs,
/// strip accents (NFD, then drop non-spacing marks) and lower-case. Works on Unicode scalars,
/// because the reference tokenizer counts and compares scalars, not grapheme clusters.
struct BertNormalizer: Sendable, Equatable {
    var cleanText = true
    var handleChineseChars = true
    var stripAccents = true
    var lowercase = true

    /// Normalises `text` and appends the resulting scalars to `output`.
    func normalize(_ text: Substring.UnicodeScalarView, into output: inout [Unicode.Scalar]) {
        let isASCII = text.allSatisfy { $0.isASCII }
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(text.count + 8)
        for scalar in text {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || BertCharacterClasses.isControl(scalar) { continue }
                if BertCharacterClasses.isWhitespace(scalar) {
                    cleaned.append(" ")
                    continue
                }
            }
            if handleChineseChars && BertCharacterClasses.isChineseCharacter(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        if stripAccents && !isASCII {
            cleaned = Self.canonicalDecomposition(cleaned).filter { !BertCharacterClasses.isNonspacingMark($0) }
        }
        guard lowercase else {
            output.append(contentsOf: cleaned)
            return
        }
        for scalar in cleaned {
            if scalar.isASCII {
                let value = scalar.value
                output.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : scalar)
            } else {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
    }

    /// NFD of a scalar sequence (Foundation's canonical decomposition).
    static func canonicalDecomposition(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var string = String.UnicodeScalarView()
        string.append(contentsOf: scalars)
        return Array(String(string).decomposedStringWithCanonicalMapping.unicodeScalars)
    }
}
