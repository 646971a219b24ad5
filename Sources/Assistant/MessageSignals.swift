import Foundation
import SupportCore

/// What a message says about the conversation rather than about a topic: a request for a
/// person, an attempt to give the bot instructions, a correction of the previous question.
/// These are read before the classifier, because they hold whatever the topic: "let me talk to
/// a manager about my return" asks for a person, not for the return policy.
public enum MessageSignals {
    /// Whether the customer asks for a person (an agent, a manager, a call back) in so many words.
    public static func asksForPerson(_ text: String) -> Bool {
        let plain = normalized(text)
        // Regexes are slow next to the rest of routing: only messages with a cue word meet them.
        guard personCues.contains(where: plain.contains) else { return false }
        if personPatterns.contains(where: { plain.firstMatch(of: $0) != nil }) { return true }
        // "agent please", or "… PERSON. NOW.": a sentence that is nothing but the request.
        let sentences = plain.split(whereSeparator: { ".!?;\n".contains($0) }).map(String.init) + [plain]
        return sentences.contains { sentence in
            let words = WordSplitter.words(sentence, apostrophes: .keepInside)
            return words.count <= 4 && words.contains(where: personWords.contains)
                && words.allSatisfy { personWords.contains($0) || shortFiller.contains($0) }
        }
    }

    /// Whether the message tries to instruct the bot rather than ask it something: override its
    /// rules, change its role, reveal its set-up, or claim an authority it cannot check.
    public static func isInstructionAttack(_ text: String) -> Bool {
        let plain = normalized(text)
        guard injectionCues.contains(where: plain.contains) else { return false }
        return injectionPatterns.contains { plain.firstMatch(of: $0) != nil }
    }

    /// For a message that corrects the previous question ("sorry, I meant the jacket", "actually
    /// it was 70 days ago"), the correction without its lead-in; nil otherwise.
    public static func correction(_ text: String) -> String? {
        let plain = normalized(text)
        guard correctionCues.contains(where: plain.hasPrefix) else { return nil }
        for pattern in correctionOpenings {
            if let match = plain.prefixMatch(of: pattern) {
                let rest = plain[match.range.upperBound...].trimmingCharacters(
                    in: .whitespacesAndNewlines.union(.punctuationCharacters))
                return rest.isEmpty ? nil : rest
            }
        }
        return nil
    }

    /// Lower-cased, typographic apostrophes made plain, whitespace collapsed.
    static func normalized(_ text: String) -> String {
        text.lowercased().replacing("’", with: "'").replacing("‘", with: "'")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static var personPatterns: [Regex<Substring>] {
        [
            /\b(?:speak|talk|chat)(?:ing)? (?:to|with) (?:a |an |the |some |one of your |your )?(?:real |live |actual |human )?(?:person|human|agent|representative|rep|manager|supervisor|someone|somebody|employee|staff|team member|people|customer (?:care|service))\b/,
            /\b(?:real|live|actual) (?:person|human|agent|people)\b/,
            /\b(?:put|patch) me (?:through|in touch)\b/,
            /\b(?:connect|transfer) me\b/,
            /\bescalate (?:this|it|my)\b/,
            /\bcall me(?: back)?\b/,
            /\b(?:can|could) (?:someone|somebody|a person|a human) (?:from [a-z]+ )?(?:call|phone|contact|email) me\b/,
            /\b(?:want|need|get|give|put|bring)(?: me)? (?:a |an |to a |to an )?(?:real |live )?(?:human|person|agent|manager|supervisor|representative)\b/,
        ]
    }

    /// Every person pattern and short request contains one of these.
    private static let personCues = [
        "person", "human", "agent", "representative", "rep", "manager", "supervisor", "someone", "somebody",
        "employee", "staff", "team", "people", "customer", "operator", "call me", "connect", "transfer", "escalate",
        "put me", "patch me",
    ]
    /// Every injection pattern contains one of these.
    private static let injectionCues = [
        "ignore", "disregard", "forget", "override", "bypass", "system", "admin", "developer", "debug", "god",
        "jailbreak", "you are", "you're", "from now on", "pretend", "imagine", "roleplay", "role-play", "act as",
        "prompt", "instructions", "internal", "rules", "configuration", "training", "tools", "apis", "approved",
        "authorized", "said it", "writing", "employee", "staff",
    ]
    /// Every correction opening starts with one of these.
    private static let correctionCues = [
        "sorry", "oops", "my bad", "wait", "no", "nope", "ah", "err", "um", "actually", "i meant", "i mean", "make that",
        "i should have said", "what i meant was", "correction",
    ]

    private static let personWords: Set<String> = [
        "person", "human", "agent", "representative", "operator", "manager", "supervisor",
    ]
    private static let shortFiller: Set<String> = [
        "a", "an", "now", "please", "pls", "plz", "real", "live", "i", "want", "need", "get", "me",
    ]

    private static var injectionPatterns: [Regex<Substring>] {
        [
            /\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions|rules|prompts?|guidelines|policy|policies|programming|restrictions)\b/,
            /\b(?:system|admin|developer|debug|god) (?:override|mode|prompt|command)\b/,
            /\bjailbreak\b/,
            /\byou(?: are|'re) (?:now|no longer)\b/,
            /\bfrom now on,? you\b/,
            /\b(?:pretend|imagine|roleplay|role-play)\b.{0,30}\b(?:you|your|to be|that)\b/,
            /\bact as (?:a|an|if|my)\b/,
            /\b(?:print|show|reveal|repeat|output|display|tell me|give me|list)\b.{0,20}\b(?:system prompt|your (?:prompt|instructions|rules|configuration|training|tools|apis)|internal (?:tools|apis|instructions|notes|data))\b/,
            /\bas an? (?:admin|administrator|developer|employee|staff member|ridgeline (?:admin|employee|manager))\b/,
            /\b(?:manager|supervisor|boss|ceo) (?:has |already )?(?:approved|authorized|said (?:it'?s|it is) ok)\b/,
            /\b(?:confirm|state|say) (?:it |that |this )?in writing\b/,
        ]
    }

    private static var correctionOpenings: [Regex<Substring>] {
        [
            /^(?:(?:sorry|oops|my bad|wait|no|nope|ah|err|um)[,.!:;]? *)+(?:i meant|i mean|meant|actually|make that|i should have said|what i meant was)\b[,:]?/,
            /^actually,? (?=(?:it|it's|i|i'm|the|my|that|this|to|for|in|on|a|an|not|[0-9])\b)/,
            /^(?:i meant|i mean|make that|i should have said|what i meant was|correction)\b[,:]?/,
        ]
    }
}
