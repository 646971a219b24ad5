/// The BERT WordPiece tokenizer of all-MiniLM-L6-v2, matching the Hugging Face `tokenizers`
/// package id for id (checked on thousands of strings by the tests): special tokens written
/// literally in the text (`[CLS]`, `[MASK]`, …) are kept whole, the rest is normalised, split into
/// words and WordPiece-encoded; the result is wrapped in `[CLS]` … `[SEP]` and truncated.
public struct WordPieceTokenizer: Sendable {
    /// A special token matched verbatim in raw text.
    struct SpecialToken: Sendable {
        let scalars: [Unicode.Scalar]
        let id: Int32
    }

    let normalizer: BertNormalizer
    let preTokenizer = BertPreTokenizer()
    let model: WordPieceModel
    /// Longest first, so matching is leftmost-longest.
    let specialTokens: [SpecialToken]
    let classID: Int32
    let separatorID: Int32
    /// Number of entries in the vocabulary (the largest id plus one).
    public let vocabularySize: Int

    init(
        normalizer: BertNormalizer, model: WordPieceModel, specialTokens: [SpecialToken],
        classID: Int32, separatorID: Int32, vocabularySize: Int
    ) {
        self.normalizer = normalizer
        self.model = model
        self.specialTokens = specialTokens.sorted { $0.scalars.count > $1.scalars.count }
        self.classID = classID
        self.separatorID = separatorID
        self.vocabularySize = vocabularySize
    }

    /// Token ids of `text`: `[CLS]`, at most `maxTokens - 2` word pieces, `[SEP]`.
    /// `maxTokens` below 2 is treated as 2.
    public func encode(_ text: String, maxTokens: Int = 256) -> [Int32] {
        let limit = max(maxTokens, 2) - 2
        var ids: [Int32] = [classID]
        ids.reserveCapacity(min(limit, text.utf8.count) + 2)
        var scratch: [Unicode.Scalar] = []
        let scalars = text.unicodeScalars
        var segmentStart = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex, ids.count <= limit {
            guard let special = specialToken(at: index, in: scalars) else {
                scalars.formIndex(after: &index)
                continue
            }
            encodePlain(scalars[segmentStart..<index], limit: limit, into: &ids, scratch: &scratch)
            ids.append(special.token.id)
            index = special.end
            segmentStart = index
        }
        if ids.count <= limit {
            encodePlain(scalars[segmentStart..<scalars.endIndex], limit: limit, into: &ids, scratch: &scratch)
        }
        if ids.count > limit + 1 {
            ids.removeSubrange((limit + 1)...)
        }
        ids.append(separatorID)
        return ids
    }

    /// Normalises, splits and WordPiece-encodes text that contains no special token, in chunks
    /// that end at a space, so a huge input stops costing work once `limit` ids exist. A space
    /// is a safe cut: it always separates words and no normalisation step reaches across it.
    private func encodePlain(
        _ text: Substring.UnicodeScalarView, limit: Int, into ids: inout [Int32], scratch: inout [Unicode.Scalar]
    ) {
        var chunkStart = text.startIndex
        while chunkStart < text.endIndex, ids.count <= limit {
            var chunkEnd = text.index(chunkStart, offsetBy: Self.chunkLength, limitedBy: text.endIndex) ?? text.endIndex
            while chunkEnd < text.endIndex, text[chunkEnd] != " " {
                text.formIndex(after: &chunkEnd)
            }
            scratch.removeAll(keepingCapacity: true)
            normalizer.normalize(text[chunkStart..<chunkEnd], into: &scratch)
            preTokenizer.forEachWord(in: scratch) { range in
                model.tokenize(scratch[range], into: &ids)
            }
            chunkStart = chunkEnd
        }
    }

    /// Scalars normalised at a time before checking the token limit.
    private static let chunkLength = 2048

    /// The longest special token that starts at `index`, and the index just past it.
    private func specialToken(
        at index: String.UnicodeScalarView.Index, in scalars: String.UnicodeScalarView
    ) -> (token: SpecialToken, end: String.UnicodeScalarView.Index)? {
        let first = scalars[index]
        for token in specialTokens where token.scalars.first == first {
            var position = index
            var matched = true
            for expected in token.scalars {
                guard position < scalars.endIndex, scalars[position] == expected else {
                    matched = false
                    break
                }
                scalars.formIndex(after: &position)
            }
            if matched { return (token, position) }
        }
        return nil
    }
}
