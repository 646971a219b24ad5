/// The one way SupportBot splits text into words: letters and digits (any script) form words,
/// lower-cased; combining marks stay with their letter; everything else separates words. What
/// an apostrophe does (`'`, `’`, `‘`, `ʼ`) is the caller's choice, since the classifier, the
/// retriever and the dialogue rules each need a different one.
public enum WordSplitter {
    /// What an apostrophe inside a word does.
    public enum ApostropheRule: Sendable, Hashable {
        /// Dropped, joining the parts: `don't` → `dont` (as customers often type it).
        case drop
        /// Kept inside a word as `'`, trimmed at its ends: `don't` → `don't`, `customers'` → `customers`.
        case keepInside
        /// A separator like any other punctuation: `don't` → `don`, `t`.
        case separate
    }

    /// The lower-cased words of `text`.
    public static func words(_ text: String, apostrophes: ApostropheRule) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            if apostrophes == .keepInside {
                while current.last == "'" { current.removeLast() }
            }
            if !current.isEmpty { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x61...0x7A, 0x30...0x39:
                    current.append(scalar)
                case 0x41...0x5A:
                    current.append(Unicode.Scalar(UInt8(value + 0x20)))
                case 0x27:
                    apostrophe()
                default:
                    finish()
                }
            } else if value == 0x2019 || value == 0x2018 || value == 0x02BC {
                apostrophe()
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                if !current.isEmpty { current.append(scalar) }
            } else {
                finish()
            }
        }
        finish()
        return words

        func apostrophe() {
            switch apostrophes {
            case .drop: break
            case .keepInside: if !current.isEmpty { current.append("'") }
            case .separate: finish()
            }
        }
    }
}
