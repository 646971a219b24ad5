/// A suffix of a Porter2 step and what replaces it.
struct StemmerRule: Sendable {
    var suffix: [UInt8]
    var replacement: [UInt8]
}

/// The suffix lists of the Porter2 steps as bytes, each sorted longest first so the first match is
/// the longest.
enum StemmerTables {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func longestFirst(_ words: [String]) -> [[UInt8]] {
        words.map(bytes).sorted { $0.count > $1.count }
    }

    static func rules(_ pairs: [(String, String)]) -> [StemmerRule] {
        pairs.map { StemmerRule(suffix: bytes($0.0), replacement: bytes($0.1)) }.sorted { $0.suffix.count > $1.suffix.count }
    }

    static let s = bytes("s"), ss = bytes("ss"), sses = bytes("sses"), ied = bytes("ied"), ies = bytes("ies")
    static let i = bytes("i"), ie = bytes("ie"), ee = bytes("ee"), eed = bytes("eed"), eedly = bytes("eedly")
    static let ing = bytes("ing"), ogi = bytes("ogi"), li = bytes("li"), ative = bytes("ative"), ion = bytes("ion")
    static let past = bytes("past")
    static let aeo = bytes("aeo")
    static let validLiEndings = bytes("cdeghkmnrt")

    /// Words starting with these have R1 right after them (`generous` → R1 = `ous`).
    static let regionPrefixes = longestFirst(["gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "inter"])
    static let possessives = longestFirst(["'s'", "'s", "'"])
    static let step1a = longestFirst(["sses", "ied", "ies", "s", "ss", "us"])
    static let step1b = longestFirst(["eed", "eedly", "ed", "edly", "ing", "ingly"])
    static let eedExceptions = longestFirst(["succ", "proc", "exc"])
    static let ingExceptions = longestFirst(["inn", "out", "cann", "herr", "earr", "even"])
    static let addE = longestFirst(["at", "bl", "iz"])
    static let doubles = longestFirst(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"])

    static let step2 = rules([
        ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"),
        ("izer", "ize"), ("ization", "ize"), ("ational", "ate"), ("ation", "ate"), ("ator", "ate"),
        ("alism", "al"), ("aliti", "al"), ("alli", "al"), ("fulness", "ful"), ("ousli", "ous"),
        ("ousness", "ous"), ("iveness", "ive"), ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"),
        ("ogist", "og"), ("ogi", "og"), ("fulli", "ful"), ("lessli", "less"), ("li", ""),
    ])

    static let step3 = rules([
        ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
        ("ical", "ic"), ("ful", ""), ("ness", ""), ("ative", ""),
    ])

    static let step4 = longestFirst([
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate",
        "iti", "ous", "ive", "ize", "ion",
    ])
}
