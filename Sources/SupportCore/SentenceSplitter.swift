/// Splits prose into sentences at `.`, `!` or `?` (closing quotes or brackets may follow) when
/// whitespace and an upper-case letter, digit or opening mark come next. It never splits inside
/// a Markdown link or inline code, after common abbreviations ("e.g.", "approx.") or after
/// initials ("U.S."), and keeps numbers like "2.5" intact. Shared by the composer (which
/// picks sentences) and retrieval (which embeds an answer's sentences one by one).
public enum SentenceSplitter {
    private static let abbreviations: Set<String> = [
        "e.g.", "i.e.", "etc.", "approx.", "mr.", "ms.", "mrs.", "dr.", "st.", "vs.", "no.", "inc.",
        "ltd.", "co.", "jr.", "sr.", "mt.", "ft.", "min.", "max.", "incl.", "excl.", "dept.",
    ]
    private static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "*", "_"]
    private static let openers: Set<Character> = ["\"", "“", "‘", "(", "[", "*", "_", "`"]

    /// The sentences of `text`, trimmed, in order; empty pieces are dropped.
    public static func split(_ text: String) -> [String] {
        let characters = Array(text)
        var sentences: [String] = []
        var start = 0
        var index = 0
        var bracketDepth = 0
        var parenDepthInLink = 0
        var inCode = false
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "`":
                inCode.toggle()
            case "[" where !inCode:
                bracketDepth += 1
            case "]" where !inCode && bracketDepth > 0:
                bracketDepth -= 1
                if bracketDepth == 0, index + 1 < characters.count, characters[index + 1] == "(" {
                    parenDepthInLink = 1
                    index += 2
                    continue
                }
            case "(" where parenDepthInLink > 0:
                parenDepthInLink += 1
            case ")" where parenDepthInLink > 0:
                parenDepthInLink -= 1
            case ".", "!", "?":
                guard !inCode, bracketDepth == 0, parenDepthInLink == 0 else { break }
                var end = index + 1
                while end < characters.count, closers.contains(characters[end]) { end += 1 }
                var next = end
                while next < characters.count, characters[next].isWhitespace { next += 1 }
                guard next > end, next < characters.count, startsSentence(characters[next]),
                    character != "." || !endsWithAbbreviation(characters, start: start, dot: index)
                else { break }
                append(characters[start..<end], to: &sentences)
                start = next
                index = next
                continue
            default:
                break
            }
            index += 1
        }
        append(characters[start..<characters.count], to: &sentences)
        return sentences
    }

    private static func startsSentence(_ character: Character) -> Bool {
        character.isUppercase || character.isNumber || openers.contains(character)
    }

    /// Whether the word ending at the dot is an abbreviation or an initial ("U.S.", "J.").
    private static func endsWithAbbreviation(_ characters: [Character], start: Int, dot: Int) -> Bool {
        var wordStart = dot
        while wordStart > start, !characters[wordStart - 1].isWhitespace, characters[wordStart - 1] != "(" {
            wordStart -= 1
        }
        let word = String(characters[wordStart...dot]).lowercased()
        if abbreviations.contains(word) { return true }
        // Initials: single letters each followed by a dot ("u.s.", "j.").
        let letters = word.split(separator: ".", omittingEmptySubsequences: false)
        return letters.dropLast().allSatisfy { $0.count == 1 && $0.first?.isLetter == true }
    }

    private static func append(_ slice: ArraySlice<Character>, to sentences: inout [String]) {
        let sentence = String(slice).trimmingWhitespace()
        if !sentence.isEmpty { sentences.append(sentence) }
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines (no Foundation needed).
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
