/// The second stage of entry selection: a linear scoring function over `RerankFeatures`, fitted
/// listwise (softmax cross-entropy over each query's candidates) by `bench/faq-eval/run` on the
/// FAQ's own phrasings held out one at a time, the tuning half of `bench/faq-eval/queries.jsonl`
/// and the dev split of `eval/answers`. It reorders the fusion's best candidates; it needs dense
/// vectors, so lexical-only searches keep the fusion order.
public struct RerankModel: Sendable, Hashable {
    /// One weight per component of `RerankFeatures.vector`.
    public var weights: [Double]

    public init(weights: [Double]) {
        self.weights = weights
    }

    /// Fitted on the sample domain (see `bench/faq-eval/README.md` for the run that produced it).
    public static let standard = RerankModel(weights: [
        4.265, 2.683, 2.981, 2.219, 3.965, 3.216, -1.126, -0.015, 0.806, 2.215, 0.147,
    ])

    /// The candidate's score; only the order of scores within one query matters.
    public func score(_ features: RerankFeatures) -> Double {
        zip(weights, features.vector).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
