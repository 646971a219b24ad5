import Foundation
/// The content words of a text, crudely stemmed, for sentence-level overlap scoring.
struct TermSet: Sendable {
    private static let stopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "how",
        "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "so", "that", "the",
        "their", "there", "this", "to", "was", "we", "what", "when", "where", "which", "who", "why",
        "will", "with", "you", "your", "have", "has", "would", "could", "should", "am", "about",
    ]

    let terms: Set<String>

    init(_ text: String) {
        var terms = Set<String>()
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                Self.add(word, to: &terms)
                word = ""
            }
        }
        if !word.isEmpty { Self.add(word, to: &terms) }
        self.terms = terms
    }

    private static func add(_ word: String, to terms: inout Set<String>) {
        guard !stopwords.contains(word) else { return }
        terms.insert(String(word.prefix(6)))
    }

    /// Fraction of this (query) set's terms found in `other`.
    func overlap(with other: TermSet) -> Double {
        guard !terms.isEmpty else { return 0 }
        return Double(terms.intersection(other.terms).count) / Double(terms.count)
    }

    /// Jaccard similarity.
    func similarity(with other: TermSet) -> Double {
        let union = terms.union(other.terms).count
        return union == 0 ? 0 : Double(terms.intersection(other.terms).count) / Double(union)
    }
}

/// Splits prose into sentences at `.`, `!` or `?` followed by whitespace and an upper-case
/// letter or digit, keeping abbreviations like "e.g." and numbers like "2.5" intact.
enum SentenceSplitter {
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            current.append(character)
            if ".!?".contains(character), index + 2 < characters.count, characters[index + 1].isWhitespace {
                var next = index + 1
                while next < characters.count, characters[next].isWhitespace { next += 1 }
                let lastWord = current.split(separator: " ").last.map(String.init) ?? ""
                let isAbbreviation = ["e.g.", "i.e.", "etc.", "approx.", "Mr.", "Ms.", "Dr.", "St."].contains(lastWord)
                if next < characters.count, characters[next].isUppercase || characters[next].isNumber, !isAbbreviation {
                    sentences.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                    current = ""
                    index = next
                    continue
                }
            }
            index += 1
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { sentences.append(last) }
        return sentences
    }
}
