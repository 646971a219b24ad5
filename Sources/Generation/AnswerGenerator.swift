import Retrieval

/// Produces a customer-facing answer from retrieved FAQ entries. The default is the embedded
/// grounded composer; an LLM generator can stand in its place and fall back to the composer.
public protocol AnswerGenerator: Sendable {
    /// Answers `question` from `hits` (best first). `onDelta` receives the answer in pieces when
    /// the generator streams; the returned answer's `text` is always complete and authoritative
    /// (a generator that falls back after streaming returns the fallback's text).
    func generate(question: String, hits: [FAQHit], onDelta: @Sendable (String) async -> Void) async -> GeneratedAnswer
}

/// A generated answer and the entries it was built from.
public struct GeneratedAnswer: Sendable {
    /// `generator` of answers built by the grounded composer.
    public static let composer = "composer"
    /// `generator` of answers written by an LLM.
    public static let llm = "llm"

    public var text: String
    /// The hits the answer used, best first (cited as sources). For LLM answers, citation `[n]`
    /// in `text` refers to `sources[n - 1]`.
    public var sources: [FAQHit]
    /// Which generator produced it: `composer` or `llm`.
    public var generator: String
    /// Why an LLM generator fell back to the composer (`timeout`, `unreachable`, `no_citation`,
    /// …; see `LLMFailure.Code`), nil when it did not.
    public var fallbackReason: String?

    public init(text: String, sources: [FAQHit], generator: String, fallbackReason: String? = nil) {
        self.text = text
        self.sources = sources
        self.generator = generator
        self.fallbackReason = fallbackReason
    }
}
