import Foundation

/// Turns the evidence behind a search's top hit into the probability that it answers the query:
/// a logistic regression over a few scale-free features, fitted by `bench/faq-eval/run --fit` on
/// the sample domain's queries (answerable ones as positives when the top hit is relevant,
/// out-of-scope and small-talk lines as negatives). Separate coefficients cover searches with and
/// without an embedder, so lexical-only deployments are calibrated too.
public struct ConfidenceModel: Sendable, Hashable {
    /// Intercept and one weight per feature.
    public struct Coefficients: Sendable, Hashable {
        public var intercept: Double
        public var weights: [Double]

        public init(intercept: Double, weights: [Double]) {
            self.intercept = intercept
            self.weights = weights
        }
    }

    /// Features `[topCosine, cosineMargin, coverage, lexicalMargin, nearestPhrasingCosine,
    /// answerSentenceCosine, rerankProbability]` when dense scores exist.
    public var hybrid: Coefficients
    /// Features `[coverage, lexicalMargin, log(1 + topBM25)]` for lexical-only searches.
    public var lexical: Coefficients

    public init(hybrid: Coefficients, lexical: Coefficients) {
        self.hybrid = hybrid
        self.lexical = lexical
    }

    /// Fitted on the sample domain (see `bench/faq-eval/README.md` for the run that produced it).
    public static let standard = ConfidenceModel(
        hybrid: Coefficients(intercept: -6.307, weights: [11.614, 0.884, 1.627, -0.239, -5.399, 0.836, 3.992]),
        lexical: Coefficients(intercept: -8.117, weights: [2.458, 1.821, 3.344]))

    /// The probability, in [0, 1], that the top hit is right.
    public func confidence(_ evidence: SearchEvidence) -> Double {
        let features = evidence.features
        let coefficients = evidence.topCosine == nil ? lexical : hybrid
        var z = coefficients.intercept
        for (weight, feature) in zip(coefficients.weights, features) { z += weight * feature }
        return 1 / (1 + exp(-z))
    }
}
