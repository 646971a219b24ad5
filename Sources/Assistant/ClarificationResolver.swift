import Classifier
import Foundation
import SupportCore

/// Reads the customer's answer to "did you mean 1) … or 2) …?": an ordinal ("2", "the first
/// one", "the latter"), yes or no, words of one option's name ("tracking"), or, failing those,
/// what the classifier makes of the message. A message that is about something else entirely
/// is treated as a new question.
struct ClarificationResolver: Sendable {
    /// What the answer means.
    enum Resolution: Equatable, Sendable {
        /// The customer picked the option at this index.
        case chosen(Int)
        /// Neither option: ask them to rephrase.
        case rejected
        /// Not an answer to the question: handle the message on its own.
        case unrelated
    }

    /// Answers longer than this many words are never read as ordinals or yes/no.
    var shortAnswerWords = 6
    var affirmIntent: String
    var denyIntent: String

    private static let firstWords: Set<String> = ["1", "first", "1st", "former", "top"]
    private static let secondWords: Set<String> = ["2", "second", "2nd", "latter", "other", "last"]
    private static let yesWords: Set<String> = ["yes", "yeah", "yep", "yup", "sure", "correct", "right", "y", "ok", "okay"]
    private static let noWords: Set<String> = ["no", "nope", "neither", "none", "nah", "n", "nothing", "wrong"]
    private static let fillerWords: Set<String> = [
        "the", "one", "option", "number", "please", "pls", "i", "mean", "meant", "it", "is", "its", "that", "this",
        "thanks", "thank", "you", "of", "them", "those", "s", "want", "like", "would", "id", "d", "m", "im", "am",
        "to", "and", "or", "for", "my", "about", "with", "a", "an",
    ]

    /// Interprets `text` as an answer to a question offering `options` (intent names);
    /// `prediction` is the classifier's reading of `text`.
    func resolve(_ text: String, options: [String], prediction: Prediction) -> Resolution {
        let words = Self.words(text)
        guard !words.isEmpty else { return .unrelated }
        if words.count <= shortAnswerWords {
            let saysFirst = words.contains(where: Self.firstWords.contains) || words == ["one"]
            let saysSecond = words.contains(where: Self.secondWords.contains) || words == ["two"]
            if saysFirst != saysSecond, options.count >= 2 {
                return .chosen(saysFirst ? 0 : 1)
            }
            if let index = optionNamed(words, options: options) { return .chosen(index) }
            if words.contains(where: Self.noWords.contains) || prediction.intent == denyIntent { return .rejected }
            if words.allSatisfy({ Self.yesWords.contains($0) || Self.fillerWords.contains($0) })
                || prediction.intent == affirmIntent
            {
                return .chosen(0)
            }
        }
        if let index = options.firstIndex(of: prediction.intent) { return .chosen(index) }
        if words.count > shortAnswerWords, prediction.isOutOfScope, let index = optionNamed(words, options: options) {
            return .chosen(index)
        }
        return .unrelated
    }

    /// The one option whose name shares a word with the answer (ignoring filler), if exactly one does.
    private func optionNamed(_ words: [String], options: [String]) -> Int? {
        let said = Set(words).subtracting(Self.fillerWords)
        let matching = options.indices.filter { index in
            let nameWords = Set(Self.words(Self.label(options[index]))).subtracting(Self.fillerWords)
            return nameWords.contains { word in said.contains { $0 == word || Self.sharesStem($0, word) } }
        }
        return matching.count == 1 ? matching[0] : nil
    }

    /// How an intent is named to a customer: `track_package` → "track package".
    static func label(_ intent: String) -> String {
        intent.replacingOccurrences(of: "_", with: " ")
    }

    private static func sharesStem(_ a: String, _ b: String) -> Bool {
        let stemLength = 5
        return a.count >= stemLength && b.count >= stemLength && a.prefix(stemLength) == b.prefix(stemLength)
    }

    private static func words(_ text: String) -> [String] {
        WordSplitter.words(text, apostrophes: .separate)
    }
}
