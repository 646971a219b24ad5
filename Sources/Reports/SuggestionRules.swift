import Foundation
import Retrieval

/// The report's answer to "retrain or retrieve?" for one cluster of unanswered questions: the
/// first of these rules that applies wins (`n` is the number of questions in the cluster,
/// repeats included).
///
/// 1. `fix_faq_entry` (RAG): at least half of the `n` replies were down-rated `faq` answers that
///    cited a source. Retrieval found an entry and the customer said it did not help: fix or
///    extend that entry (the most cited one).
/// 2. `fix_intent_answer` (retrain): at least half were down-rated `canned` answers of one
///    intent X. The classifier was sure and the answer did not help: fix X's answer in
///    `intents/` (or its examples, if the questions are not X), which retrains.
/// 3. `faq_intent_without_entry` (RAG): at least `intentMajority` (60 %) were `fallback`
///    replies whose stored intent is an in-scope intent, i.e. a `route: faq` intent for which
///    the knowledge base had no hit. The classifier knew the topic; `faqs/` lacks the answer.
/// 4. `near_miss_intent` (retrain), only with a trained classifier: at least `intentMajority`
///    have the same top in-scope intent X when classified now, each with a probability of at
///    least `ReportConfiguration.nearMissConfidence` (0.2). The classifier nearly knew it (the reason gives their
///    mean confidence and how many the current model accepts): add them as examples of X.
/// 5. `informational_question` (RAG): at least half are questions asking for information (see
///    `isInformational`): add a FAQ entry answering the representative.
/// 6. `new_intent` (retrain): otherwise, requests for something the bot has no intent for:
///    add an intent with these examples.
///
/// Intents are for what is stable and structured (what the customer wants done), FAQ entries
/// for facts that change; so questions go to `faqs/` and requests to `intents/`.
public struct SuggestionRules: Sendable, Hashable {
    /// Share of a cluster that must lean to one intent for rules 3 and 4. Default 0.6.
    public var intentMajority: Double

    public init(intentMajority: Double = 0.6) {
        self.intentMajority = intentMajority
    }

    /// Words that open a question asking for information.
    public static let questionWords: Set<String> = [
        "what", "how", "when", "where", "why", "which", "who", "can", "do", "does", "is", "are", "will", "should",
    ]

    /// Greetings skipped before looking for a question word ("hi, where is my order").
    static let greetings: Set<String> = ["hi", "hello", "hey"]

    /// Whether `text` asks for information: it ends with `?`, or its first word (after a
    /// greeting) is one of `questionWords`. Polite requests phrased as questions ("can you send
    /// me a catalog?") count as questions, which a FAQ entry can answer too.
    public static func isInformational(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasSuffix("?") || trimmed.hasSuffix("？") { return true }
        let words = EnglishAnalyzer.exactKey(trimmed).split(separator: " ")
        guard let first = words.first(where: { !greetings.contains(String($0)) }) else { return false }
        return questionWords.contains(String(first))
    }

    /// What the classifier makes of a cluster's questions now.
    struct IntentLean {
        /// The most common top in-scope intent (among confident enough candidates).
        var intent: String
        /// Questions (repeats included) whose top intent it is.
        var count: Int
        /// Their mean confidence in it.
        var meanConfidence: Double
        /// How many of them the current model accepts as that intent (not out of scope).
        var accepted: Int
    }

    /// The suggestion for a cluster: `totals` sums its members' counts, `informational` is how
    /// many of its questions (repeats included) ask for information, `lean` what the classifier
    /// thinks (nil without a classifier or when no question leans to an intent).
    func suggest(
        totals: QuestionGroup, representative: String, informational: Int, lean: IntentLean?
    ) -> Suggestion {
        let n = max(totals.count, 1)
        let majority = intentMajority * Double(n)
        if totals.downRatedFAQ * 2 >= n, let source = Self.mostCommon(totals.downRatedSources) {
            return Suggestion(
                rule: .fixFAQEntry, source: source.key, action: "RAG: fix or extend the FAQ entry \(source.key)",
                reason: "\(totals.downRatedFAQ) of \(n) were down-rated FAQ answers; \(source.value) cited \(source.key)")
        }
        if let canned = Self.mostCommon(totals.downRatedCanned), canned.value * 2 >= n {
            return Suggestion(
                rule: .fixIntentAnswer, intent: canned.key,
                action: "retrain: fix the answer of intent \(canned.key) (or its examples, if these are not \(canned.key))",
                reason: "\(canned.value) of \(n) were down-rated canned answers of \(canned.key)")
        }
        if let miss = Self.mostCommon(totals.faqMisses), Double(miss.value) >= majority {
            return Suggestion(
                rule: .faqIntentWithoutEntry, intent: miss.key, action: "RAG: add a FAQ entry answering '\(representative)'",
                reason: "\(miss.value) of \(n) were recognised as \(miss.key), but faqs/ had no entry to answer them")
        }
        if let lean, Double(lean.count) >= majority {
            let accepted =
                lean.accepted == 0 ? "all rejected as out of scope" : "the current model accepts \(lean.accepted) of them"
            return Suggestion(
                rule: .nearMissIntent, intent: lean.intent, action: "retrain: add these as examples of intent \(lean.intent)",
                reason: "\(lean.count) of \(n) lean to \(lean.intent) (mean confidence \(Self.twoDecimals(lean.meanConfidence)); "
                    + "\(accepted)): the classifier nearly knew it")
        }
        if informational * 2 >= n {
            return Suggestion(
                rule: .informationalQuestion, action: "RAG: add a FAQ entry answering '\(representative)'",
                reason: "\(informational) of \(n) are questions asking for information no FAQ entry gave")
        }
        let leanNote = lean.map { " (at most \($0.count) of \(n) lean to one intent)" } ?? ""
        return Suggestion(
            rule: .newIntent, action: "retrain: a new intent with these examples",
            reason: "\(n - informational) of \(n) are requests, not questions, and no intent covers them\(leanNote)")
    }

    /// The key with the largest count (the alphabetically first on ties).
    static func mostCommon(_ counts: [String: Int]) -> (key: String, value: Int)? {
        counts.min { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    static func twoDecimals(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
