/// Stopword lists for `EnglishAnalyzer`: words too common to tell FAQ entries apart.
public enum EnglishStopwords {
    /// The Snowball English stop list (pronouns, auxiliaries, articles, prepositions, question
    /// words and their contractions), which suits question matching: "how do I return my boots"
    /// keeps only `return` and `boots`. Negations (`no`, `not`, `nor`) and `can`/`will` are kept
    /// out of the list because they change what a customer asks.
    public static let standard: Set<String> = Set(
        """
        i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
        her hers herself it its itself they them their theirs themselves what which who whom this that
        these those am is are was were be been being have has had having do does did doing would should
        could ought i'm you're he's she's it's we're they're i've you've we've they've i'd you'd he'd
        she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't hasn't
        haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot couldn't
        mustn't let's that's who's what's here's there's when's where's why's how's a an the and but if
        or because as until while of at by for with about against between into through during before
        after above below to from up down in out on off over under again further then once here there
        when where why how all any both each few more most other some such only own same so than too
        very
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Lucene's `EnglishAnalyzer` default stop set (33 words), for comparison with Lucene-based tools.
    public static let lucene: Set<String> = Set(
        """
        a an and are as at be but by for if in into is it no not of on or such that the their then there
        these they this to was will with
        """.split(whereSeparator: \.isWhitespace).map(String.init))
}
