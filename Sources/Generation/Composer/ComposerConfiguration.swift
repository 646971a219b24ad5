/// Settings of the grounded composer, with documented defaults. The composer only selects and
/// orders text that is already in the FAQ answers; these knobs decide how much of it.
public struct ComposerConfiguration: Sendable {
    /// Answers with more units (sentences, or a whole list with its lead-in) than this are
    /// trimmed to the ones that answer the question. Default 4.
    public var maxSentences: Int = 4
    /// A second entry is considered only when its score is at least this fraction of the best
    /// entry's score (and its question is about a part of the customer's question the best
    /// entry does not cover). Default 0.75.
    public var secondEntryScoreRatio: Double = 0.75
    /// At most this many units are taken from a second entry. Default 2.
    public var secondEntryMaxSentences: Int = 2
    /// MMR trade-off between relevance (1) and diversity (0) when picking units. Default 0.7.
    public var mmrLambda: Double = 0.7
    /// Weight of the matched FAQ question, next to the customer's question (weight 1), when
    /// scoring sentences: it helps when the customer's words differ from the answer's. Default 0.3.
    public var entryQuestionWeight: Double = 0.3
    /// An entry's leading "Yes."/"No." is kept only when the customer's question has every
    /// content word of the entry's question (or an alternate) and at most this many more.
    /// Default 1.
    public var polarityExtraTerms: Int = 1
    /// Phrase put before a second entry's excerpt (the only text the composer adds). Default "Also: ".
    public var secondEntryConnective: String = "Also: "

    public init() {}
}
