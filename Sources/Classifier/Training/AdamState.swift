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

    /// Runs `body` with the parameter array and both moment arrays as raw buffers of equal length.
    mutating func withBuffers<R>(
        _ parameters: inout [Float],
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> R
    ) -> R? {
        parameters.withUnsafeMutableBufferPointer { p in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    guard let pBase = p.baseAddress, let mBase = m.baseAddress, let vBase = v.baseAddress else { return nil }
                    return body(pBase, mBase, vBase)
                }
            }
        }
    }
}
