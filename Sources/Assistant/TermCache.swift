import Retrieval
import Synchronization

/// Analysed term sets of texts that change only when content does (an intent's answers and
/// examples, a FAQ entry), computed once per text rather than once per message. A key's entry
/// is recomputed when its text changes; the cache is emptied when it reaches `capacity` keys.
final class TermCache: Sendable {
    let analyzer = EnglishAnalyzer()
    private let capacity: Int
    private let entries = Mutex([String: (text: String, terms: Set<String>)]())

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The terms of `text`, cached under `key`.
    func terms(of key: String, _ text: String) -> Set<String> {
        if let cached = entries.withLock({ $0[key] }), cached.text == text { return cached.terms }
        let terms = Set(analyzer.terms(text))
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (text, terms)
        }
        return terms
    }
}
