/// One question-and-answer entry of the knowledge base in `faqs/`.
public struct FAQEntry: Sendable, Hashable, Codable, Identifiable {
    /// Stable id: the file's path inside `faqs/`, `#`, and a slug of the question,
    /// e.g. `shipping.md#how-long-does-delivery-take`.
    public var id: String
    public var question: String
    /// Other phrasings of the question.
    public var alternates: [String]
    /// The answer, as written (Markdown allowed).
    public var answer: String
    public var tags: [String]
    public var url: String?
    /// Path of the file inside `faqs/`, e.g. `shipping.md` or `billing/refunds.yml`.
    public var file: String
    /// 1-based line where the entry starts.
    public var line: Int

    public init(
        id: String, question: String, alternates: [String] = [], answer: String,
        tags: [String] = [], url: String? = nil, file: String, line: Int
    ) {
        self.id = id
        self.question = question
        self.alternates = alternates
        self.answer = answer
        self.tags = tags
        self.url = url
        self.file = file
        self.line = line
    }
}
