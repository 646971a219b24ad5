import SupportCore

/// Fixes the typing slips customers make in the words the bot's content uses ("pasword",
/// "retrun", "canda", "backordrd") before the message is classified and searched; the message
/// itself is stored as written. A word is only corrected when it is neither a content word nor
/// an ordinary word the encoder's vocabulary knows, and only to the most frequent content word
/// it is one slip away from: a dropped letter or two neighbouring letters swapped (two dropped
/// letters for words of six or more). Extra or substituted letters are left alone: undoing
/// them turns real words into content words ("unopened" into "opened", "doable" into "double").
struct SpellingCorrector: Sendable {
    /// Content words (lower-cased) and how often the content uses them.
    let counts: [String: Int]
    /// The content words by length, for the search for what a word is a slip of.
    private let byLength: [Int: [String]]
    /// Whether a lower-cased word is an ordinary word (`TextEmbedder.knowsWord`).
    let isDictionaryWord: @Sendable (String) -> Bool
    /// Shorter words are left alone: too many real words are one slip from another.
    let minimumLength = 4

    init(counts: [String: Int], isDictionaryWord: @escaping @Sendable (String) -> Bool) {
        self.counts = counts
        self.isDictionaryWord = isDictionaryWord
        self.byLength = Dictionary(grouping: counts.keys.filter { $0.allSatisfy { $0.isASCII && $0.isLetter } }, by: \.count)
    }

    /// `text` with its slips corrected, and what was changed.
    func corrected(_ text: String) -> (text: String, changes: [(from: String, to: String)]) {
        var result = ""
        var changes: [(from: String, to: String)] = []
        var word = ""
        func flush() {
            if let fix = correction(of: word) {
                changes.append((word, fix))
                result += word.first?.isUppercase == true ? fix.prefix(1).uppercased() + fix.dropFirst() : fix
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if character.isLetter, character.isASCII {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return (changes.isEmpty ? text : result, changes)
    }

    /// The content word `word` is a slip of, or nil.
    func correction(of word: String) -> String? {
        let lower = word.lowercased()
        guard lower.count >= minimumLength, counts[lower] == nil, !isDictionaryWord(lower) else { return nil }
        let letters = Array(lower)
        var candidates = (byLength[letters.count + 1] ?? []).filter { Self.isSubsequence(letters, of: $0) }
        for index in letters.indices.dropLast() where letters[index] != letters[index + 1] {
            var swapped = letters
            swapped.swapAt(index, index + 1)
            let text = String(swapped)
            if counts[text] != nil { candidates.append(text) }
        }
        if candidates.isEmpty, letters.count >= 6 {
            candidates = (byLength[letters.count + 2] ?? []).filter { Self.isSubsequence(letters, of: $0) }
        }
        return candidates.max { (counts[$0] ?? 0, $1) < (counts[$1] ?? 0, $0) }
    }

    /// Whether `short` is `long` with some letters dropped (in order).
    private static func isSubsequence(_ short: [Character], of long: String) -> Bool {
        var index = 0
        for character in long where index < short.count && character == short[index] {
            index += 1
        }
        return index == short.count
    }
}
