import Foundation

/// Fits P(y = 1 | x) = σ(b + w·x) by Newton's method with a small L2 penalty on w; the model
/// behind `ConfidenceModel`, refitted by `bench-retrieval eval --fit`.
enum LogisticRegression {
    static func fit(
        _ samples: [(features: [Double], label: Bool)], l2: Double = 1e-2, iterations: Int = 50
    ) -> (intercept: Double, weights: [Double]) {
        guard let width = samples.first?.features.count else { return (0, []) }
        let size = width + 1
        var theta = [Double](repeating: 0, count: size)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: size)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
            for (features, label) in samples {
                let x = [1] + features
                let p = sigmoid(zip(theta, x).reduce(0) { $0 + $1.0 * $1.1 })
                let error = p - (label ? 1 : 0)
                for i in 0..<size {
                    gradient[i] += error * x[i]
                    for j in 0..<size { hessian[i][j] += p * (1 - p) * x[i] * x[j] }
                }
            }
            for i in 1..<size {
                gradient[i] += l2 * theta[i]
                hessian[i][i] += l2
            }
            for i in 0..<size { hessian[i][i] += 1e-9 }
            guard let step = solve(hessian, gradient) else { break }
            theta = zip(theta, step).map { $0 - $1 }
            if step.map(abs).max() ?? 0 < 1e-10 { break }
        }
        return (theta[0], Array(theta.dropFirst()))
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// Gaussian elimination with partial pivoting; nil for a singular system.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        var a = matrix
        var b = vector
        let n = b.count
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }), abs(a[pivot][column]) > 1e-15
            else {
                return nil
            }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x
    }
}
