/// Settings of the operator report (`supportbot report`), with documented defaults.
public struct ReportConfiguration: Sendable, Hashable {
    /// Down-rated answers and question clusters listed. Default 10.
    public var top: Int = 10
    /// Example questions shown per cluster besides its representative. Default 3.
    public var examplesPerCluster: Int = 3
    /// Cosine similarity at which a question joins a cluster when questions are embedded with
    /// the sentence encoder (unit vectors; MiniLM paraphrases typically score 0.6–0.9). Default 0.6.
    public var embeddingThreshold: Double = 0.6
    /// Cosine similarity at which a question joins a cluster with lexical TF-IDF vectors, whose
    /// scores run lower than the encoder's: two short paraphrases sharing one or two content
    /// words typically score 0.35–0.7. Default 0.35.
    public var lexicalThreshold: Double = 0.35
    /// Share of a cluster's questions that must lean to one intent for the "add examples"
    /// suggestion (also used for stored intents of FAQ misses). Default 0.6.
    public var intentMajority: Double = 0.6
    /// Probability a question's top in-scope intent needs for the question to count as leaning
    /// to it in the near-miss rule; below it the classifier is guessing (the uniform share of 39
    /// intents is 0.026). Default 0.2.
    public var nearMissConfidence: Double = 0.2
    /// Characters of a down-rated answer quoted in the report. Default 160.
    public var excerptLength: Int = 160
    /// Distinct unanswered questions clustered at most (the most frequent, then the most
    /// recent); bounds the time clustering takes, which grows with the square of the clusters
    /// found. Default 2,000.
    public var maxQuestions: Int = 2_000

    public init() {}

    /// Throws when a setting is out of its range.
    public func validate() throws(ReportError) {
        guard top >= 1 else { throw ReportError("top must be at least 1 (got \(top))") }
        guard examplesPerCluster >= 0 else { throw ReportError("examplesPerCluster must not be negative") }
        for (name, value) in [
            ("embeddingThreshold", embeddingThreshold), ("lexicalThreshold", lexicalThreshold),
            ("intentMajority", intentMajority), ("nearMissConfidence", nearMissConfidence),
        ] {
            guard value > 0, value <= 1 else { throw ReportError("\(name) must be in (0, 1] (got \(value))") }
        }
        guard excerptLength >= 10 else { throw ReportError("excerptLength must be at least 10 (got \(excerptLength))") }
        guard maxQuestions >= 1 else { throw ReportError("maxQuestions must be at least 1 (got \(maxQuestions))") }
    }
}

/// Why a report could not be built or written.
public struct ReportError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong, in one sentence.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
