/// The word being stemmed and its regions. `Y` (0x59) marks a `y` that acts as a consonant.
struct StemmerWord {
    var s: [UInt8]
    /// Start of R1 and R2 (equal to the length when the region is empty).
    var p1 = 0
    var p2 = 0
    var foundY = false

    init(_ bytes: [UInt8]) { s = bytes }

    static let apostrophe = UInt8(ascii: "'")
    static let bigY = UInt8(ascii: "Y")

    static func isVowel(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
            UInt8(ascii: "y"):
            return true
        default: return false
        }
    }

    /// Letters that may precede a deleted `li` in step 2.
    static func isValidLiEnding(_ c: UInt8) -> Bool {
        StemmerTables.validLiEndings.contains(c)
    }

    func endsWith(_ tail: [UInt8]) -> Bool {
        guard tail.count <= s.count else { return false }
        return s[(s.count - tail.count)...].elementsEqual(tail)
    }

    /// The longest of `suffixes` the word ends with; `suffixes` must be sorted longest first.
    func longestSuffix(_ suffixes: [[UInt8]]) -> [UInt8]? {
        suffixes.first(where: endsWith)
    }

    /// The longest rule whose suffix ends the word; `rules` must be sorted longest first.
    func longestRule(_ rules: [StemmerRule]) -> StemmerRule? {
        rules.first { endsWith($0.suffix) }
    }

    mutating func replaceSuffix(_ length: Int, with replacement: [UInt8]) {
        s.removeLast(length)
        s.append(contentsOf: replacement)
    }

    /// Whether `s[..<end]` contains a vowel.
    func hasVowel(before end: Int) -> Bool {
        s[..<end].contains(where: Self.isVowel)
    }

    /// A short syllable ending at `end` (exclusive): consonant–vowel–consonant where the last
    /// consonant is not w, x or Y; a vowel at the start followed by a consonant; or `past`.
    func endsInShortSyllable(at end: Int) -> Bool {
        if end >= 3 {
            let (a, b, c) = (s[end - 3], s[end - 2], s[end - 1])
            if !Self.isVowel(a) && Self.isVowel(b) && !Self.isVowel(c)
                && c != UInt8(ascii: "w") && c != UInt8(ascii: "x") && c != Self.bigY
            {
                return true
            }
        }
        if end == 2 && Self.isVowel(s[0]) && !Self.isVowel(s[1]) { return true }
        return end >= 4 && s[(end - 4)..<end].elementsEqual(StemmerTables.past)
    }

    mutating func prelude() {
        if s.first == Self.apostrophe { s.removeFirst() }
        guard !s.isEmpty else { return }
        if s[0] == UInt8(ascii: "y") {
            s[0] = Self.bigY
            foundY = true
        }
        var index = 1
        while index < s.count {
            if s[index] == UInt8(ascii: "y") && Self.isVowel(s[index - 1]) {
                s[index] = Self.bigY
                foundY = true
            }
            index += 1
        }
    }

    /// Position just after the first consonant that follows a vowel, searching from `start`.
    func regionStart(from start: Int) -> Int {
        var index = start
        while index < s.count && !Self.isVowel(s[index]) { index += 1 }
        guard index < s.count else { return s.count }
        while index < s.count && Self.isVowel(s[index]) { index += 1 }
        guard index < s.count else { return s.count }
        return index + 1
    }

    mutating func markRegions() {
        if let prefix = StemmerTables.regionPrefixes.first(where: { s.starts(with: $0) }) {
            p1 = prefix.count
        } else {
            p1 = regionStart(from: 0)
        }
        p2 = p1 < s.count ? regionStart(from: p1) : s.count
    }

    mutating func step1a() {
        if let suffix = longestSuffix(StemmerTables.possessives) { s.removeLast(suffix.count) }
        guard let suffix = longestSuffix(StemmerTables.step1a) else { return }
        switch suffix {
        case StemmerTables.sses:
            replaceSuffix(4, with: StemmerTables.ss)
        case StemmerTables.ied, StemmerTables.ies:
            replaceSuffix(3, with: s.count - 3 >= 2 ? StemmerTables.i : StemmerTables.ie)
        case StemmerTables.s:
            // Delete when a vowel occurs before the letter just before the s.
            if s.count >= 3 && hasVowel(before: s.count - 2) { s.removeLast() }
        default:
            break
        }
    }

    mutating func step1b() {
        guard let suffix = longestSuffix(StemmerTables.step1b) else { return }
        let start = s.count - suffix.count
        switch suffix {
        case StemmerTables.eed, StemmerTables.eedly:
            guard start >= p1 else { return }
            let stem = s[..<start]
            if StemmerTables.eedExceptions.contains(where: { stem.elementsEqual($0) }) { return }
            replaceSuffix(suffix.count, with: StemmerTables.ee)
            return
        case StemmerTables.ing:
            let stem = s[..<start]
            if stem.count == 2 && stem.last == UInt8(ascii: "y") && !Self.isVowel(s[0]) {
                replaceSuffix(4, with: StemmerTables.ie)
                return
            }
            if StemmerTables.ingExceptions.contains(where: { stem.elementsEqual($0) }) { return }
        default:
            break
        }
        guard hasVowel(before: start) else { return }
        s.removeLast(suffix.count)
        if longestSuffix(StemmerTables.addE) != nil {
            s.append(UInt8(ascii: "e"))
        } else if longestSuffix(StemmerTables.doubles) != nil {
            let before = s.count - 2
            if before == 1 && StemmerTables.aeo.contains(s[0]) { return }
            s.removeLast()
        } else if p1 == s.count && endsInShortSyllable(at: s.count) {
            s.append(UInt8(ascii: "e"))
        }
    }

    mutating func step1c() {
        guard s.count >= 3, let last = s.last, last == UInt8(ascii: "y") || last == Self.bigY else { return }
        if !Self.isVowel(s[s.count - 2]) { s[s.count - 1] = UInt8(ascii: "i") }
    }

    mutating func step2() {
        guard let rule = longestRule(StemmerTables.step2) else { return }
        let start = s.count - rule.suffix.count
        guard start >= p1 else { return }
        switch rule.suffix {
        case StemmerTables.ogi:
            guard start >= 1 && s[start - 1] == UInt8(ascii: "l") else { return }
        case StemmerTables.li:
            guard start >= 1 && Self.isValidLiEnding(s[start - 1]) else { return }
        default:
            break
        }
        replaceSuffix(rule.suffix.count, with: rule.replacement)
    }

    mutating func step3() {
        guard let rule = longestRule(StemmerTables.step3) else { return }
        let start = s.count - rule.suffix.count
        guard start >= p1 else { return }
        if rule.suffix == StemmerTables.ative && start < p2 { return }
        replaceSuffix(rule.suffix.count, with: rule.replacement)
    }

    mutating func step4() {
        guard let suffix = longestSuffix(StemmerTables.step4) else { return }
        let start = s.count - suffix.count
        guard start >= p2 else { return }
        if suffix == StemmerTables.ion {
            guard start >= 1 && (s[start - 1] == UInt8(ascii: "s") || s[start - 1] == UInt8(ascii: "t")) else {
                return
            }
        }
        s.removeLast(suffix.count)
    }

    mutating func step5() {
        guard let last = s.last else { return }
        let start = s.count - 1
        if last == UInt8(ascii: "e") {
            if start >= p2 || (start >= p1 && !endsInShortSyllable(at: start)) { s.removeLast() }
        } else if last == UInt8(ascii: "l") {
            if start >= p2 && start >= 1 && s[start - 1] == UInt8(ascii: "l") { s.removeLast() }
        }
    }

    func finished() -> [UInt8] {
        guard foundY else { return s }
        return s.map { $0 == Self.bigY ? UInt8(ascii: "y") : $0 }
    }
}
