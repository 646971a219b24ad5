import Content
import SupportCore

/// How one reply measured against its labels.
public struct AnswerVerdict: Sendable {
    /// What was wrong with a reply, one kind per check.
    public enum Miss: String, Sendable, Hashable, CaseIterable, Codable {
        /// The route is not one of the acceptable ones (e.g. answered what it should decline).
        case wrongRoute = "wrong_route"
        /// A canned answer of an intent the label does not accept.
        case wrongIntent = "wrong_intent"
        /// A FAQ answer led by an entry the label does not accept.
        case wrongEntry = "wrong_entry"
        /// A fact every right answer contains is missing.
        case missingFact = "missing_fact"
        /// The reply contains a string no right answer contains.
        case forbiddenText = "forbidden_text"
        /// The reply opens with the "Yes"/"No" the label forbids: it says the opposite of what
        /// the help center says for this question.
        case contradiction
    }

    public var turn: AnswerEvaluationCase.Turn
    public var reply: ChatAnswer
    public var routeRight: Bool
    /// Nil when not checked (no intents labelled, or the reply is not a canned answer).
    public var intentRight: Bool?
    /// Nil when not checked (no entries labelled, or the reply is not a FAQ answer).
    public var entryRight: Bool?
    public var factsPresent: Bool
    public var nothingInvented: Bool
    public var contradiction: Bool
    /// Every detail of what went wrong, for the misses list.
    public var details: [(Miss, String)]

    /// Right route, intent and entry where checked, every fact, nothing forbidden, no contradiction.
    public var answeredRight: Bool { details.isEmpty }

    /// The kinds of miss, each once.
    public var misses: Set<Miss> { Set(details.map(\.0)) }
}

/// The checks of one reply against its labels: pure functions of the reply and the labels.
///
/// A contradiction is judged from the labels, not from the cited entry: whether "Yes" is right
/// depends on how the customer asked ("do gift cards expire?" — no; "is my old gift card still
/// good?" — yes), so an answer may rightly open with the opposite of its entry's "No.".
public enum AnswerJudge {
    /// Judges `reply` against the labels of its turn.
    public static func judge(_ reply: ChatAnswer, against turn: AnswerEvaluationCase.Turn) -> AnswerVerdict {
        var details: [(AnswerVerdict.Miss, String)] = []
        let route = reply.route.rawValue
        let routeRight = turn.routes.contains(route)
        if !routeRight {
            details.append((.wrongRoute, "expected \(turn.routes.joined(separator: "|")), got \(route) (\(reply.intent))"))
        }
        var intentRight: Bool?
        if reply.route == .canned, !turn.intents.isEmpty {
            intentRight = turn.intents.contains(reply.intent)
            if intentRight == false {
                details.append((.wrongIntent, "expected intent \(turn.intents.joined(separator: "|")), got \(reply.intent)"))
            }
        }
        var entryRight: Bool?
        if reply.route == .faq, !turn.entries.isEmpty {
            let lead = reply.sources.first?.id
            entryRight = lead.map(turn.entries.contains) ?? false
            if entryRight == false {
                details.append((.wrongEntry, "expected \(turn.entries.joined(separator: "|")), led with \(lead ?? "no entry")"))
            }
        }
        let text = normalized(reply.text)
        let missing = turn.facts.filter { alternatives in !alternatives.contains { text.contains(normalized($0)) } }
        for fact in missing {
            details.append((.missingFact, "missing \"\(fact.joined(separator: "\" or \""))\""))
        }
        let forbidden = turn.notSays.filter { !isPolarityOpener($0) && text.contains(normalized($0)) }
        for phrase in forbidden {
            details.append((.forbiddenText, "contains \"\(phrase)\""))
        }
        let contradiction = contradicts(reply.text, forbiddenOpeners: turn.notSays.filter(isPolarityOpener))
        if let contradiction {
            details.append((.contradiction, contradiction))
        }
        return AnswerVerdict(
            turn: turn, reply: reply, routeRight: routeRight, intentRight: intentRight, entryRight: entryRight,
            factsPresent: missing.isEmpty, nothingInvented: forbidden.isEmpty, contradiction: contradiction != nil, details: details
        )
    }

    /// "yes" or "no" when `text` opens with that word, else nil.
    public static func polarity(_ text: String) -> String? {
        let first = WordSplitter.words(String(text.prefix(12)), apostrophes: .keepInside).first
        return first == "yes" || first == "no" ? first : nil
    }

    /// Why the reply contradicts the help center, or nil: it opens with a polarity the label
    /// forbids (`not_says: ["Yes."]`).
    static func contradicts(_ reply: String, forbiddenOpeners: [String]) -> String? {
        guard let said = polarity(reply) else { return nil }
        if forbiddenOpeners.contains(where: { polarity($0) == said }) {
            return "opens with \"\(said)\", the opposite of what the help center says for this question"
        }
        return nil
    }

    /// A `not_says` label that is a bare yes/no opener ("Yes." / "No,") is a polarity check on
    /// the reply's opening word, not a substring search.
    static func isPolarityOpener(_ phrase: String) -> Bool {
        let words = WordSplitter.words(phrase, apostrophes: .keepInside)
        return words.count == 1 && (words[0] == "yes" || words[0] == "no")
    }

    /// Lower-cased, typographic apostrophes and quotes made plain, Markdown emphasis removed,
    /// whitespace collapsed: facts match however the answer is typeset.
    static func normalized(_ text: String) -> String {
        var plain = text.lowercased()
        for (from, to) in [
            ("’", "'"), ("‘", "'"), ("“", "\""), ("”", "\""), ("**", ""), ("__", ""), ("`", ""), ("–", "-"), ("—", "-"),
        ] {
            plain = plain.replacing(from, with: to)
        }
        return plain.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
