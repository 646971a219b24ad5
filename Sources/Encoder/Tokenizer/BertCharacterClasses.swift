/// Character classes as the reference tokenizer (Hugging Face `tokenizers`) decides them. Its
/// general-category tables are those of Unicode 8.0, while Swift's are current: characters
/// assigned later count as unassigned there (kept, never split or stripped), and a handful of
/// characters changed category since. Emulating that keeps token ids identical on every code
/// point (the tests sweep planes 0-2 and 14).
enum BertCharacterClasses {
    /// The Unicode version of the reference tokenizer's category tables.
    static let categoryVersion = (major: 8, minor: 0)

    /// General category of `scalar` as of Unicode 8.0; nil when it was unassigned then.
    static func category(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory? {
        if let changed = changedSinceVersion8[scalar.value] { return changed }
        let properties = scalar.properties
        guard let age = properties.age,
            (age.major, age.minor) <= (categoryVersion.major, categoryVersion.minor)
        else { return nil }
        return properties.generalCategory
    }

    /// Characters whose general category changed between Unicode 8.0 and today, with their 8.0
    /// category (found by the code-point sweep against the reference tokenizer).
    private static let changedSinceVersion8: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,  // CANADIAN SYLLABICS CHI SIGN, So since 12.0
        0x1734: .nonspacingMark,  // HANUNOO SIGN PAMUDPOD, Mc since 14.0
        0x1885: .otherLetter,  // MONGOLIAN LETTER ALI GALI BALUDA, Mn since 9.0
        0x1886: .otherLetter,  // MONGOLIAN LETTER ALI GALI THREE BALUDA, Mn since 9.0
        0xA9BD: .spacingMark,  // JAVANESE CONSONANT SIGN KERET, Mn since 12.0
        0x111C9: .otherPunctuation,  // SHARADA SANDHI MARK, Mn since 11.0
        0x1171E: .nonspacingMark,  // AHOM CONSONANT SIGN MEDIAL RA, Mc since 14.0
    ]

    /// Control characters: category Cc, Cf or Co (not unassigned), except tab, newline and
    /// carriage return, which count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E: return false
        case 0x00...0x1F, 0x7F: return true
        default: break
        }
        switch category(scalar) {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// The Unicode White_Space property (current tables, as the reference uses Rust's `char`).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20: return true
        case 0x00...0x7F: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// ASCII punctuation (which includes symbols such as `$`, `+`, `^`) or a Unicode P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        case 0x00...0x7F: return false
        default: break
        }
        switch category(scalar) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Category Mn, the accents that accent stripping removes after NFD.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        !scalar.isASCII && category(scalar) == .nonspacingMark
    }

    /// The CJK ideograph blocks the reference isolates: its own table, including its gap between
    /// U+2B820 and U+2B91F.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
