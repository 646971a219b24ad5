import Foundation

extension MessageSignals {
    /// The name of another company whose account, order or service the message is about ("my
    /// Gmail password", "Netflix charged me twice", "an eBay seller never shipped"), or nil.
    /// A name is a capitalised word (or run of them) that neither the intents nor the help
    /// center ever use (`isKnown` answers for a lower-cased word); it counts only when it owns an
    /// account-like noun or bills the customer, so a place ("ship to Halifax") or a brand the
    /// shop sells ("my Patagonia jacket") is not taken for one. The bot cannot see or change
    /// another company's records, and no help-center entry about ours answers for theirs.
    public static func foreignName(_ text: String, isKnown: (String) -> Bool) -> String? {
        guard text.contains(where: \.isUppercase) else { return nil }
        let (tokens, startsSentence) = Self.tokens(text)
        var index = 0
        while index < tokens.count {
            guard isName(tokens[index], isKnown: isKnown) else {
                index += 1
                continue
            }
            // A run of capitalised words that starts with an unknown one ("Dick's Sporting Goods").
            var end = index + 1
            while end < tokens.count, tokens[end].first?.isUppercase == true, !accountNouns.contains(plain(tokens[end])) {
                end += 1
            }
            let following = tokens[end...].prefix(2).map(plain)
            let ownsAccount = following.contains(where: accountNouns.contains)
            let bills = following.first.map(billingVerbs.contains) == true && following.last.map(customerWords.contains) == true
            // A capitalised first word of a sentence ("Hiya order status?") is only a name when
            // its case says so anyway (eBay, PayPal) or it bills the customer.
            let looksLikeName =
                !startsSentence[index] || end - index > 1 || tokens[index].dropFirst().contains(where: \.isUppercase)
            if bills || ownsAccount && looksLikeName {
                return tokens[index..<end].joined(separator: " ")
            }
            index = end
        }
        return nil
    }

    /// Words (a letter or digit, then letters, digits and `'’&.-`), and whether each starts a
    /// sentence (nothing but spaces since the text's start or a `.`, `!`, `?` or line break).
    private static func tokens(_ text: String) -> (words: [String], startsSentence: [Bool]) {
        var words: [String] = []
        var starts: [Bool] = []
        var current = ""
        var sentenceStart = true
        var currentStartsSentence = true
        for character in text {
            if character.isLetter || character.isNumber || !current.isEmpty && "'’&.-".contains(character) {
                if current.isEmpty { currentStartsSentence = sentenceStart }
                current.append(character)
                continue
            }
            if !current.isEmpty {
                // A word that ends in "." ends the sentence; the dot is not part of the word.
                let endsSentence = current.last == "."
                words.append(String(current.trimmingCharacters(in: .punctuationCharacters)))
                starts.append(currentStartsSentence)
                current = ""
                sentenceStart = endsSentence
            }
            if ".!?\n".contains(character) {
                sentenceStart = true
            } else if !character.isWhitespace {
                sentenceStart = false
            }
        }
        if !current.isEmpty {
            words.append(current.trimmingCharacters(in: .punctuationCharacters))
            starts.append(currentStartsSentence)
        }
        return (words, starts)
    }

    /// A capitalised word, without digits (order numbers are ours), that no content uses.
    private static func isName(_ token: String, isKnown: (String) -> Bool) -> Bool {
        guard token.count >= 2, token.contains(where: \.isUppercase), !token.contains(where: \.isNumber) else { return false }
        let word = plain(token)
        guard !pronouns.contains(word) else { return false }
        let base = word.hasSuffix("'s") ? String(word.dropLast(2)) : word
        return !isKnown(base) && !isKnown(word)
    }

    private static func plain(_ token: String) -> String {
        token.lowercased().replacing("’", with: "'").trimmingCharacters(in: .punctuationCharacters)
    }

    /// Records only the company that keeps them can see or change.
    private static let accountNouns: Set<String> = [
        "account", "accounts", "password", "login", "log-in", "order", "orders", "subscription", "membership", "seller",
        "app", "bill", "gift", "card", "profile", "points", "rewards", "refund", "case", "support", "username", "email",
        "inbox", "wallet", "balance", "purchase", "delivery", "driver", "store", "listing",
    ]
    private static let billingVerbs: Set<String> = [
        "charged", "billed", "debited", "took", "suspended", "locked", "banned", "cancelled", "canceled", "closed",
        "deleted", "hacked",
    ]
    private static let customerWords: Set<String> = ["me", "my", "us", "our", "mine"]
    private static let pronouns: Set<String> = [
        "i", "i'm", "i've", "i'd", "i'll", "ok", "okay", "hi", "hey", "hello", "thanks", "pls", "plz",
    ]
}
