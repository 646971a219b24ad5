import Foundation

extension WordPieceTokenizer {
    /// The special tokens BERT vocabularies define; matched verbatim in raw text.
    static let bertSpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// Loads the tokenizer a Hugging Face `tokenizer.json` describes. Only the BERT pipeline is
    /// supported (BertNormalizer, BertPreTokenizer, WordPiece); anything else is rejected rather
    /// than silently tokenised differently.
    public init(tokenizerJSON url: URL) throws(EncoderError) {
        let root = try Self.jsonObject(at: url)
        let path = url.path
        func fail(_ detail: String) -> EncoderError {
            EncoderError(.invalidVocabulary, "\(path): \(detail)")
        }
        guard let model = root["model"] as? [String: Any], model["type"] as? String == "WordPiece",
            let rawVocabulary = model["vocab"] as? [String: Any], !rawVocabulary.isEmpty
        else { throw fail("model is not a WordPiece model with a vocabulary") }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(rawVocabulary.count)
        for (token, value) in rawVocabulary {
            guard let id = (value as? NSNumber)?.int32Value, id >= 0 else {
                throw fail("vocabulary entry \(token) has no valid id")
            }
            vocabulary[token] = id
        }
        let unknown = model["unk_token"] as? String ?? "[UNK]"
        let prefix = model["continuing_subword_prefix"] as? String ?? "##"
        let maxChars = (model["max_input_chars_per_word"] as? NSNumber)?.intValue ?? 100

        guard let normalizerSpec = root["normalizer"] as? [String: Any],
            normalizerSpec["type"] as? String == "BertNormalizer"
        else { throw fail("normalizer is not a BertNormalizer") }
        let lowercase = normalizerSpec["lowercase"] as? Bool ?? true
        let normalizer = BertNormalizer(
            cleanText: normalizerSpec["clean_text"] as? Bool ?? true,
            handleChineseChars: normalizerSpec["handle_chinese_chars"] as? Bool ?? true,
            stripAccents: normalizerSpec["strip_accents"] as? Bool ?? lowercase,
            lowercase: lowercase
        )
        guard let preTokenizer = root["pre_tokenizer"] as? [String: Any],
            preTokenizer["type"] as? String == "BertPreTokenizer"
        else { throw fail("pre_tokenizer is not a BertPreTokenizer") }

        var specials: [SpecialToken] = []
        for case let entry as [String: Any] in root["added_tokens"] as? [Any] ?? [] {
            guard let content = entry["content"] as? String, !content.isEmpty,
                let id = (entry["id"] as? NSNumber)?.int32Value
            else { throw fail("added_tokens has an entry without content or id") }
            guard entry["normalized"] as? Bool != true else {
                throw fail("added token \(content) is normalized; only verbatim added tokens are supported")
            }
            vocabulary[content] = id
            specials.append(SpecialToken(scalars: Array(content.unicodeScalars), id: id))
        }
        try self.init(
            vocabulary: vocabulary, normalizer: normalizer, specialTokens: specials,
            unknown: unknown, prefix: prefix, maxInputChars: maxChars, source: path
        )
    }

    /// Loads a BERT `vocab.txt` (one token per line, the line number is the id) with the
    /// uncased BERT settings of all-MiniLM-L6-v2.
    public init(vocabulary url: URL) throws(EncoderError) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw EncoderError(
                FileManager.default.fileExists(atPath: url.path) ? .unreadable : .fileNotFound,
                "cannot read vocabulary \(url.path): \(error)"
            )
        }
        var vocabulary: [String: Int32] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            let token = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if vocabulary[token] == nil { vocabulary[token] = Int32(index) }
        }
        let specials = Self.bertSpecialTokens.compactMap { token in
            vocabulary[token].map { SpecialToken(scalars: Array(token.unicodeScalars), id: $0) }
        }
        try self.init(
            vocabulary: vocabulary, normalizer: BertNormalizer(), specialTokens: specials,
            unknown: "[UNK]", prefix: "##", maxInputChars: 100, source: url.path
        )
    }

    private init(
        vocabulary: [String: Int32], normalizer: BertNormalizer, specialTokens: [SpecialToken],
        unknown: String, prefix: String, maxInputChars: Int, source: String
    ) throws(EncoderError) {
        guard let unknownID = vocabulary[unknown], let classID = vocabulary["[CLS]"], let separatorID = vocabulary["[SEP]"] else {
            throw EncoderError(.invalidVocabulary, "\(source): vocabulary lacks \(unknown), [CLS] or [SEP]")
        }
        let size = Int(vocabulary.values.max() ?? 0) + 1
        self.init(
            normalizer: normalizer,
            model: WordPieceModel(
                vocabulary: vocabulary, unknownID: unknownID, continuingPrefix: prefix, maxInputCharsPerWord: maxInputChars),
            specialTokens: specialTokens, classID: classID, separatorID: separatorID, vocabularySize: size
        )
    }

    private static func jsonObject(at url: URL) throws(EncoderError) -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw EncoderError(exists ? .unreadable : .fileNotFound, "cannot read \(url.path): \(error)")
        }
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw EncoderError(.invalidVocabulary, "\(url.path) is not a JSON object")
            }
            return object
        } catch let error as EncoderError {
            throw error
        } catch {
            throw EncoderError(.invalidVocabulary, "\(url.path) is not valid JSON: \(error)")
        }
    }
}
