/// One example as the softmax head sees it: an optional dense sentence embedding and the
/// sparse lexical vector.
struct FeatureVector: Sendable {
    /// The sentence embedding (already scaled by the embedding block weight), or empty.
    var dense: [Float]
    /// Hashed word and character n-grams.
    var sparse: SparseVector
}
