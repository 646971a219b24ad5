import Foundation

/// First and second moment estimates of Adam for one parameter array, updated either densely
/// or row by row ("lazy" Adam: a sparse row's moments only move on steps that touch it, which
/// keeps an epoch's cost proportional to the features actually present).
struct AdamState: Sendable {
    private var first: [Float]
    private var second: [Float]

    init(count: Int) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
    }

    /// Hyper-parameters and the bias corrections of the current step.
    struct Step {
        var learningRate: Float
        var beta1: Float = 0.9
        var beta2: Float = 0.999
        var epsilon: Float = 1e-8
        /// `1 - beta1^t`.
        var correction1: Float
        /// `1 - beta2^t`.
        var correction2: Float

        init(learningRate: Float, step: Int) {
            self.learningRate = learningRate
            correction1 = 1 - powf(0.9, Float(step))
            correction2 = 1 - powf(0.999, Float(step))
        }
    }

    /// Applies one Adam update to `parameters[range]` with `gradient` (same length as the range),
    /// adding `l2 * parameter` to the gradient first.
    mutating func update(
        _ parameters: inout [Float], range: Range<Int>, gradient: UnsafeBufferPointer<Float>, l2: Float, step: Step
    ) {
        let scale = step.learningRate / step.correction1
        let secondCorrection = 1 / step.correction2
        let beta1 = step.beta1, beta2 = step.beta2, epsilon = step.epsilon
        parameters.withUnsafeMutableBufferPointer { p in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    var offset = 0
                    for i in range {
                        let g = gradient[offset] + l2 * p[i]
                        offset += 1
                        m[i] = beta1 * m[i] + (1 - beta1) * g
                        v[i] = beta2 * v[i] + (1 - beta2) * g * g
                        p[i] -= scale * m[i] / ((v[i] * secondCorrection).squareRoot() + epsilon)
                    }
                }
            }
        }
    }
}
