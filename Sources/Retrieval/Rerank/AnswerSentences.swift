import SupportCore

/// An answer cut into the sentences the reranker embeds one by one: a customer often asks about
/// one detail ("can I bump it to overnight?") that one sentence of the right answer states and
/// the entry's question does not. Markdown list markers and headings are dropped; an answer of
/// one sentence gives none (its whole-answer embedding already says it).
enum AnswerSentences {
    /// At most this many sentences per answer, so one long entry cannot dominate the index.
    static let limit = 12

    static func split(_ answer: String) -> [String] {
        var sentences: [String] = []
        for line in answer.split(whereSeparator: \.isNewline) {
            var text = line.drop { $0 == "#" || $0 == "|" || $0.isWhitespace }
            // "- ", "* ", "+ " and "> " markers (bold "**" stays).
            for marker in ["- ", "* ", "+ ", "> "] where text.hasPrefix(marker) {
                text = text.dropFirst(2)
            }
            // "1. " of a numbered list.
            let digits = text.prefix { $0.isNumber }
            if !digits.isEmpty, text.dropFirst(digits.count).hasPrefix(". ") {
                text = text.dropFirst(digits.count + 2)
            }
            guard !text.isEmpty else { continue }
            sentences += SentenceSplitter.split(String(text))
        }
        guard sentences.count > 1 else { return [] }
        return Array(sentences.prefix(limit))
    }
}
