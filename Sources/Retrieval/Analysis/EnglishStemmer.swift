/// The Porter2 ("Snowball English") stemmer, as in Snowball 3: `connections`, `connected` and
/// `connecting` all become `connect`, so a customer's wording meets the FAQ's. Works on lower-case
/// ASCII words; anything else is returned unchanged. Stateless and thread-safe.
///
/// Terms follow the algorithm's description at snowballstem.org: R1 and R2 are the regions after
/// the first and second vowel–consonant pair, `Y` marks a consonant `y`, and the steps run on the
/// end of the word in order 1a, 1b, 1c, 2, 3, 4, 5.
public struct EnglishStemmer: Sendable {
    public init() {}

    /// The stem of a lower-case word.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.allSatisfy({ $0 == 0x27 || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else {
            return word
        }
        stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Stems lower-case ASCII bytes in place.
    func stem(_ word: inout [UInt8]) {
        if let exception = Self.exceptions[word] {
            word = exception
            return
        }
        guard word.count >= 3 else { return }
        var state = StemmerWord(word)
        state.prelude()
        state.markRegions()
        state.step1a()
        state.step1b()
        state.step1c()
        state.step2()
        state.step3()
        state.step4()
        state.step5()
        word = state.finished()
    }

    /// Whole words with a fixed stem (`skies` → `sky`) or none (`news`).
    static let exceptions: [[UInt8]: [UInt8]] = {
        let pairs: [(String, String)] = [
            ("skis", "ski"), ("skies", "sky"), ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"),
            ("early", "earli"), ("only", "onli"), ("singly", "singl"), ("sky", "sky"), ("news", "news"),
            ("howe", "howe"), ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
        ]
        var table: [[UInt8]: [UInt8]] = [:]
        for (word, stem) in pairs { table[Array(word.utf8)] = Array(stem.utf8) }
        return table
    }()
}
