import Retrieval

/// Produces a customer-facing answer from retrieved FAQ entries. The default is the embedded
/// grounded composer; an LLM generator can stand in its place and fall back to the composer.
public protocol AnswerGenerator: Sendable {
    /// Answers `question` from `hits` (best first). `onDelta` receives the answer in pieces when
    /// the generator streams; the returned answer's `text` is always complete.
    func generate(question: String, hits: [FAQHit], onDelta: @Sendable (String) async -> Void) async -> GeneratedAnswer
}

/// A generated answer and the entries it was built from.
public struct GeneratedAnswer: Sendable {
    public var text: String
    /// The hits the answer used, best first (cited as sources).
    public var sources: [FAQHit]
    /// Which generator produced it: `composer` or `llm`.
    public var generator: String

    public init(text: String, sources: [FAQHit], generator: String) {
        self.text = text
        self.sources = sources
        self.generator = generator
    }
}
