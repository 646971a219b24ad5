/// The BERT pre-tokeniser ("BertPreTokenizer"): splits normalised text into words at whitespace
/// (dropped) and around every punctuation character (kept as a word of its own).
struct BertPreTokenizer: Sendable, Equatable {
    /// Calls `body` with the index range of each word in `scalars`, in order.
    func forEachWord(in scalars: [Unicode.Scalar], _ body: (Range<Int>) -> Void) {
        var start = 0
        for index in scalars.indices {
            let scalar = scalars[index]
            if BertCharacterClasses.isWhitespace(scalar) {
                if start < index { body(start..<index) }
                start = index + 1
            } else if BertCharacterClasses.isPunctuation(scalar) {
                if start < index { body(start..<index) }
                body(index..<index + 1)
                start = index + 1
            }
        }
        if start < scalars.count { body(start..<scalars.count) }
    }
}
