import Content
import Encoder
import Logging
import Retrieval
import Synchronization

/// The spelling corrector of the content in force: rebuilt when the intents or the knowledge
/// base change, shared by every request until then.
final class SpellingCorrectorCache: Sendable {
    private struct Entry: Sendable {
        var intentsHash: String
        var index: ObjectIdentifier
        var corrector: SpellingCorrector
    }

    private let entry = Mutex<Entry?>(nil)

    func corrector(
        intents: IntentRuntime.Snapshot, index: FAQIndex, isDictionaryWord: @escaping @Sendable (String) -> Bool
    ) -> SpellingCorrector {
        let hash = intents.intents.contentHash
        let identifier = ObjectIdentifier(index)
        if let cached = entry.withLock({ $0 }), cached.intentsHash == hash, cached.index == identifier {
            return cached.corrector
        }
        let counts = intents.wordCounts.merging(index.wordCounts, uniquingKeysWith: +)
        let corrector = SpellingCorrector(counts: counts, isDictionaryWord: isDictionaryWord)
        entry.withLock { $0 = Entry(intentsHash: hash, index: identifier, corrector: corrector) }
        return corrector
    }
}

extension Assistant {
    /// `text` with slips in content words corrected (`SpellingCorrector`); unchanged without an
    /// encoder vocabulary to tell ordinary words from slips.
    func correctingSlips(_ text: String, snapshot: IntentRuntime.Snapshot) -> String {
        guard configuration.correctsSpelling, let embedder = embeddings?.embedder, embedder.knowsWord("the") else { return text }
        let corrector = spelling.corrector(intents: snapshot, index: knowledge.current) { embedder.knowsWord($0) }
        let (corrected, changes) = corrector.corrected(text)
        if !changes.isEmpty {
            logger.debug(
                "message.spelling", metadata: ["changes": "\(changes.map { "\($0.from)→\($0.to)" }.joined(separator: ", "))"])
        }
        return corrected
    }
}
