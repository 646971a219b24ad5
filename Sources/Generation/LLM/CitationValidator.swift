/// Finds the `[n]` citations in an LLM answer and checks that they refer to the sources the
/// model was given. An answer without a valid citation is not grounded, so it is not shown.
public enum CitationValidator {
    /// The numbers cited in `text`, in order of appearance, repeats included. Recognises `[2]`,
    /// `[1, 3]` and `[1][2]`; a Markdown link `[label](url)` or a non-numeric bracket is not a citation.
    public static func citations(in text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var numbers: [Int] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "["), let (group, end) = citationGroup(bytes, from: index + 1) else {
                index += 1
                continue
            }
            let isLink = end + 1 < bytes.count && bytes[end + 1] == UInt8(ascii: "(")
            if !isLink { numbers += group }
            index = end + 1
        }
        return numbers
    }

    /// Checks `text` against `sourceCount` given sources and returns the highest number cited.
    public static func validate(_ text: String, sourceCount: Int) throws(LLMFailure) -> Int {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw LLMFailure(.empty, "the model returned no text")
        }
        let cited = citations(in: text)
        guard let highest = cited.max() else {
            throw LLMFailure(.noCitation, "the answer cites no source")
        }
        if let bad = cited.first(where: { $0 < 1 || $0 > sourceCount }) {
            throw LLMFailure(.invalidCitation, "the answer cites [\(bad)] but \(sourceCount) sources were given")
        }
        return highest
    }

    /// Digits separated by commas and spaces up to `]`, starting right after a `[`.
    private static func citationGroup(_ bytes: [UInt8], from start: Int) -> ([Int], Int)? {
        var numbers: [Int] = []
        var current: Int?
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int(byte - UInt8(ascii: "0"))
                let value = (current ?? 0) * 10 + digit
                guard value < 10_000 else { return nil }
                current = value
            case UInt8(ascii: ","), UInt8(ascii: " "):
                if let value = current { numbers.append(value) }
                current = nil
            case UInt8(ascii: "]"):
                if let value = current { numbers.append(value) }
                return numbers.isEmpty ? nil : (numbers, index)
            default:
                return nil
            }
            index += 1
        }
        return nil
    }
}
