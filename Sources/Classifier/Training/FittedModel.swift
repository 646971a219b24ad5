/// A trained feature pipeline and softmax head: everything needed to turn a text (and its
/// embedding) into class probabilities. Shared by `IntentClassifier`, cross-validation and the
/// artifact format.
struct FittedModel: Sendable {
    let featurizer: LexicalFeaturizer
    let model: SoftmaxModel
    /// Multiplier applied to the (unit-length) embedding; 0 when the model has no dense block.
    let embeddingScale: Float
    /// Number of in-scope intents; the model has one more class when it learned `out_of_scope`.
    let inScopeClasses: Int
    /// The training examples' embeddings, when the decision reads similarity
    /// (`ClassifierConfiguration.similarityInDecision`) and the model has embeddings.
    var exemplars: Exemplars? = nil

    /// The cosine of the message's embedding with the nearest training example, when the
    /// decision reads it.
    func similarity(_ embedding: [Float]?) -> Float? {
        guard let exemplars, let embedding else { return nil }
        return exemplars.nearest(embedding)
    }

    /// Whether `out_of_scope` is a class of the softmax.
    var hasOutOfScopeClass: Bool { model.classes > inScopeClasses }
    /// Whether the model needs an embedding per text.
    var usesEmbeddings: Bool { model.denseDimension > 0 }

    /// The features of one example; `embedding` is ignored unless the model has a dense block of
    /// the same dimension.
    func features(_ text: String, embedding: [Float]?) -> FeatureVector {
        var dense: [Float] = []
        if usesEmbeddings, let embedding, embedding.count == model.denseDimension {
            dense = embedding.map { $0 * embeddingScale }
        }
        return FeatureVector(dense: dense, sparse: featurizer.vector(text))
    }

    /// Probabilities over all classes (in-scope intents first, then `out_of_scope` if learned).
    func probabilities(_ text: String, embedding: [Float]?) -> [Float] {
        var output = [Float](repeating: 0, count: model.classes)
        model.probabilities(features(text, embedding: embedding), into: &output)
        return output
    }

    /// The out-of-scope score used by the threshold: the best in-scope probability, averaged
    /// with the similarity to the nearest training example when there is one; -1 when the
    /// learned `out_of_scope` class beats every in-scope intent (always rejected).
    func decision(_ probabilities: [Float], similarity: Float? = nil) -> (best: Int, confidence: Float, score: Float) {
        var best = 0
        for k in 1..<max(inScopeClasses, 1) where probabilities[k] > probabilities[best] { best = k }
        let confidence = probabilities[best]
        if hasOutOfScopeClass, probabilities[inScopeClasses] > confidence {
            return (best, confidence, -1)
        }
        return (best, confidence, Self.score(confidence, similarity: similarity))
    }

    /// A probability (or a sum of two) combined with the similarity, on the threshold's scale.
    static func score(_ probability: Float, similarity: Float?) -> Float {
        guard let similarity else { return probability }
        return (probability + max(similarity, 0)) / 2
    }

    /// The second-best in-scope class after `best`, if there are two.
    func runnerUp(_ probabilities: [Float], best: Int) -> Int? {
        var second: Int?
        for k in 0..<inScopeClasses where k != best {
            if second.map({ probabilities[k] > probabilities[$0] }) ?? true { second = k }
        }
        return second
    }
}
