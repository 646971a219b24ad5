/// Greedy longest-match-first WordPiece over one pre-tokenised word: the first piece is looked up
/// as is, later pieces with the `##` continuation prefix; a word with any unmatched remainder, or
/// longer than `maxInputCharsPerWord` scalars, becomes a single `[UNK]`.
struct WordPieceModel: Sendable {
    /// Pieces that may start a word: the whole vocabulary, looked up without a prefix.
    private let wordStart: VocabularyTable
    /// Continuation pieces, keyed without their prefix.
    private let continuation: VocabularyTable
    /// The longest vocabulary entry in scalars, bounding each search.
    private let longestPiece: Int
    let unknownID: Int32
    let maxInputCharsPerWord: Int

    init(vocabulary: [String: Int32], unknownID: Int32, continuingPrefix: String, maxInputCharsPerWord: Int) {
        let prefix = Array(continuingPrefix.unicodeScalars.map(\.value))
        var starts: [(scalars: [UInt32], id: Int32)] = []
        var continuations: [(scalars: [UInt32], id: Int32)] = []
        var longest = 1
        // Sorted by id so that duplicate spellings resolve the same way on every run.
        for (token, id) in vocabulary.sorted(by: { $0.value < $1.value }) {
            let scalars = token.unicodeScalars.map(\.value)
            longest = max(longest, scalars.count)
            starts.append((scalars, id))
            if !prefix.isEmpty, scalars.count > prefix.count, scalars.starts(with: prefix) {
                continuations.append((Array(scalars.dropFirst(prefix.count)), id))
            }
        }
        self.wordStart = VocabularyTable(starts)
        self.continuation = VocabularyTable(continuations)
        self.longestPiece = longest
        self.unknownID = unknownID
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }

    /// Appends the ids of `word` (a slice of normalised scalars) to `output`.
    func tokenize(_ word: ArraySlice<Unicode.Scalar>, into output: inout [Int32]) {
        guard word.count <= maxInputCharsPerWord else {
            output.append(unknownID)
            return
        }
        let mark = output.count
        var start = word.startIndex
        while start < word.endIndex {
            var end = min(word.endIndex, start + longestPiece)
            var found: Int32?
            while start < end {
                let piece = word[start..<end]
                found = start == word.startIndex ? wordStart.lookup(piece) : continuation.lookup(piece)
                if found != nil { break }
                end -= 1
            }
            guard let id = found else {
                output.removeSubrange(mark...)
                output.append(unknownID)
                return
            }
            output.append(id)
            start = end
        }
    }
}
