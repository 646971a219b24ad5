/// A text as an array of Unicode scalars with the character classes the recognisers ask about.
struct ScalarText {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var count: Int { scalars.count }

    subscript(_ index: Int) -> Unicode.Scalar? { index >= 0 && index < scalars.count ? scalars[index] : nil }

    func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    func isDigit(_ index: Int) -> Bool { self[index].map(Self.isDigit) ?? false }
    func isLetter(_ index: Int) -> Bool { self[index].map(Self.isLetter) ?? false }
    func isASCIILetter(_ index: Int) -> Bool { self[index].map(Self.isASCIILetter) ?? false }
    /// A letter or digit of any script, or a combining mark: part of a word.
    func isWordScalar(_ index: Int) -> Bool { self[index].map(Self.isWordScalar) ?? false }
    func isSpace(_ index: Int) -> Bool { self[index].map(Self.isSpace) ?? false }
    func `is`(_ index: Int, _ character: Unicode.Scalar) -> Bool { self[index] == character }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (48...57).contains(scalar.value) }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (65...90).contains(scalar.value) || (97...122).contains(scalar.value)
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isASCIILetter(scalar) }
        return scalar.properties.isAlphabetic
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isDigit(scalar) || isASCIILetter(scalar) }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return true
        default: return scalar.properties.isAlphabetic
        }
    }

    /// Spaces people type between digit groups: space, no-break spaces and thin spaces.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0xA0, 0x2007, 0x2009, 0x202F: return true
        default: return false
        }
    }

    /// Hyphen-minus and the dashes that word processors put in its place.
    static func isDash(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2010, 0x2011, 0x2012, 0x2013, 0x2212: return true
        default: return false
        }
    }

    /// The lowercased ASCII-letter words just before `index`, nearest first, at most `limit`,
    /// stopping at the end of the previous sentence or line.
    func wordsBefore(_ index: Int, limit: Int) -> [String] {
        var words: [String] = []
        var at = index - 1
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(String.UnicodeScalarView(current.reversed())).lowercased()) }
            current = String.UnicodeScalarView()
        }
        var examined = 0
        while at >= 0, words.count < limit, examined < 80 {
            let scalar = scalars[at]
            if Self.isLetter(scalar) {
                current.append(scalar)
            } else {
                flush()
                if scalar == "\n" || scalar == "!" || scalar == "?" { break }
                if scalar == ".", at + 1 < scalars.count, Self.isSpace(scalars[at + 1]), at > 0, Self.isLetter(scalars[at - 1]) {
                    // "Tel. 020…" and "no. 4111…" are abbreviations; a full stop after a longer
                    // word ends the sentence.
                    var length = 0
                    var back = at - 1
                    while back >= 0, Self.isLetter(scalars[back]) {
                        length += 1
                        back -= 1
                    }
                    if length > 4 { break }
                }
            }
            at -= 1
            examined += 1
        }
        flush()
        return Array(words.prefix(limit))
    }
}
