/// Splits a message into lower-cased words for the lexical features: letters and digits form
/// words, apostrophes inside a word are dropped (`don't` → `dont`, as customers often type it),
/// and everything else separates words. Works on Unicode scalars, with a fast path for ASCII.
enum TextNormalizer {
    /// The words of `text`, each as its lower-cased Unicode scalar values.
    static func words(_ text: String) -> [[UInt32]] {
        var words: [[UInt32]] = []
        var current: [UInt32] = []
        current.reserveCapacity(16)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x41...0x5A: current.append(value + 0x20)
                case 0x61...0x7A, 0x30...0x39: current.append(value)
                case 0x27: continue
                default:
                    if !current.isEmpty {
                        words.append(current)
                        current.removeAll(keepingCapacity: true)
                    }
                }
            } else if value == 0x2019 || value == 0x2018 {
                continue
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                    current.append(lowered.value)
                }
            } else if scalar.properties.generalCategory == .nonspacingMark, !current.isEmpty {
                current.append(value)
            } else if !current.isEmpty {
                words.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
