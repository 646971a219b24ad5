import Foundation

/// Fits a linear scoring function s(x) = w·x by minimising the softmax cross-entropy of each
/// query's relevant candidate among its candidates (listwise), with an L2 penalty, by gradient
/// descent with Adam; the model behind `RerankModel`, refitted by `bench-retrieval eval`.
enum ListwiseRanker {
    /// One query: every candidate's features and which candidates are relevant.
    struct List {
        var features: [[Double]]
        var relevant: [Bool]
        /// How much this query counts in the loss.
        var weight: Double = 1
    }

    static func fit(_ lists: [List], l2: Double = 1e-3, iterations: Int = 3000, rate: Double = 0.05) -> [Double] {
        let usable = lists.filter { $0.relevant.contains(true) && $0.relevant.contains(false) }
        guard let width = usable.first?.features.first?.count else { return [] }
        var w = [Double](repeating: 0, count: width)
        var m = [Double](repeating: 0, count: width)
        var v = [Double](repeating: 0, count: width)
        let totalWeight = usable.reduce(0) { $0 + $1.weight }
        for step in 1...iterations {
            var gradient = w.map { l2 * $0 }
            for list in usable {
                let scores = list.features.map { zip(w, $0).reduce(0) { $0 + $1.0 * $1.1 } }
                let largest = scores.max() ?? 0
                let exponentials = scores.map { exp($0 - largest) }
                let total = exponentials.reduce(0, +)
                let relevantTotal = zip(exponentials, list.relevant).filter(\.1).reduce(0) { $0 + $1.0 }
                // −log(Σ_relevant p): gradient Σ_i (p_i − q_i) x_i, q the softmax restricted to the relevant.
                for (index, features) in list.features.enumerated() {
                    let p = exponentials[index] / total
                    let q = list.relevant[index] ? exponentials[index] / relevantTotal : 0
                    let factor = list.weight * (p - q) / totalWeight
                    for k in 0..<width { gradient[k] += factor * features[k] }
                }
            }
            for k in 0..<width {
                m[k] = 0.9 * m[k] + 0.1 * gradient[k]
                v[k] = 0.999 * v[k] + 0.001 * gradient[k] * gradient[k]
                let mHat = m[k] / (1 - pow(0.9, Double(step)))
                let vHat = v[k] / (1 - pow(0.999, Double(step)))
                w[k] -= rate * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        return w
    }

    /// Share of lists whose best-scored candidate is relevant.
    static func precisionAt1(_ lists: [List], weights: [Double]) -> Double {
        guard !lists.isEmpty else { return 0 }
        let hits = lists.filter { list in
            let scores = list.features.map { zip(weights, $0).reduce(0) { $0 + $1.0 * $1.1 } }
            guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }) else { return false }
            return list.relevant[best]
        }
        return Double(hits.count) / Double(lists.count)
    }
}
