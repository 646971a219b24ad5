import SupportCore

/// Splits a message into lower-cased words for the lexical features (`WordSplitter`, with
/// apostrophes dropped: `don't` → `dont`, as customers often type it).
enum TextNormalizer {
    /// The words of `text`, each as its lower-cased Unicode scalar values.
    static func words(_ text: String) -> [[UInt32]] {
        WordSplitter.words(text, apostrophes: .drop).map { $0.unicodeScalars.map(\.value) }
    }
}
