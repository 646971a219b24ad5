/// The featurizer fitted on one training set plus the shape of the model trained on it: which
/// classes exist (in-scope intents, and `out_of_scope` when it is learned as a class), the
/// embedding dimension, and the scale of the embedding block.
struct FeaturePipeline: Sendable {
    let featurizer: LexicalFeaturizer
    let inScopeClasses: Int
    let learnsOutOfScope: Bool
    let denseDimension: Int
    let embeddingScale: Float
    /// The fitted data's in-scope embeddings, when the decision reads similarity.
    let exemplars: Exemplars?

    init(data: TrainingData, configuration: ClassifierConfiguration) {
        let hasher = NGramHasher(
            buckets: UInt32(clamping: max(configuration.hashBuckets, 1)),
            wordOrders: configuration.wordNGrams, charOrders: configuration.charNGrams)
        featurizer = LexicalFeaturizer(
            fitting: data.texts, hasher: hasher, minimumCount: configuration.minimumNGramCount)
        inScopeClasses = data.intentNames.count
        learnsOutOfScope = configuration.outOfScopeClass && data.hasOutOfScope
        denseDimension = data.embeddings.first?.count ?? 0
        embeddingScale = Float(configuration.embeddingWeight)
        exemplars = configuration.similarityInDecision ? Exemplars(data, inScopeClasses: data.intentNames.count) : nil
    }

    /// A model with every weight zero, shaped for this pipeline.
    var emptyModel: SoftmaxModel {
        SoftmaxModel(
            classes: inScopeClasses + (learnsOutOfScope ? 1 : 0), denseDimension: denseDimension,
            sparseFeatures: featurizer.featureCount)
    }

    /// Wraps trained weights into a usable model.
    func fitted(_ model: SoftmaxModel) -> FittedModel {
        FittedModel(
            featurizer: featurizer, model: model, embeddingScale: embeddingScale, inScopeClasses: inScopeClasses,
            exemplars: exemplars)
    }

    /// The features of every example of `data`, in order.
    func features(_ data: TrainingData) -> [FeatureVector] {
        let shape = FittedModel(
            featurizer: featurizer, model: emptyModel, embeddingScale: embeddingScale, inScopeClasses: inScopeClasses)
        return data.texts.indices.map {
            shape.features(data.texts[$0], embedding: data.embeddings.isEmpty ? nil : data.embeddings[$0])
        }
    }

    /// Training examples of `data`; `out_of_scope` examples are dropped unless learned as a class.
    func examples(_ data: TrainingData) -> [SoftmaxTrainer.Example] {
        zip(features(data), data.labels).compactMap { features, label in
            if label == inScopeClasses, !learnsOutOfScope { return nil }
            return SoftmaxTrainer.Example(features: features, label: label)
        }
    }
}
