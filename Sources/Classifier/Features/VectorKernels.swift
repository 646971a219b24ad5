/// The inner loops of training and prediction, written with explicit 8-wide SIMD because the
/// compiler cannot prove the pointers do not alias and would otherwise emit scalar code.
enum VectorKernels {
    /// `out[0..<count] += scale * row[0..<count]`.
    @inline(__always)
    static func addScaled(_ row: UnsafePointer<Float>, _ scale: Float, into out: UnsafeMutablePointer<Float>, count: Int) {
        let rowRaw = UnsafeRawPointer(row)
        let outRaw = UnsafeMutableRawPointer(out)
        let factor = SIMD8<Float>(repeating: scale)
        var i = 0
        while i + 8 <= count {
            let offset = i * MemoryLayout<Float>.stride
            let sum =
                outRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                + factor * rowRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            outRaw.storeBytes(of: sum, toByteOffset: offset, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            out[i] += scale * row[i]
            i += 1
        }
    }

    /// One Adam update of `count` parameters with their moments; adds `l2 * parameter` to the
    /// gradient first and zeroes the gradient as it is consumed.
    @inline(__always)
    static func adam(
        _ parameters: UnsafeMutablePointer<Float>, _ first: UnsafeMutablePointer<Float>,
        _ second: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int, l2: Float,
        step: AdamState.Step
    ) {
        let scale = step.learningRate / step.correction1
        let secondCorrection = 1 / step.correction2
        let beta1 = step.beta1
        let beta2 = step.beta2
        let epsilon = step.epsilon
        var i = 0
        let stride = MemoryLayout<Float>.stride
        let p = UnsafeMutableRawPointer(parameters)
        let m = UnsafeMutableRawPointer(first)
        let v = UnsafeMutableRawPointer(second)
        let g = UnsafeMutableRawPointer(gradient)
        while i + 8 <= count {
            let offset = i * stride
            let weights = p.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let grad = g.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) + l2 * weights
            let mean = beta1 * m.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self) + (1 - beta1) * grad
            let variance =
                beta2 * v.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                + (1 - beta2) * grad * grad
            let denominator = (variance * secondCorrection).squareRoot() + epsilon
            m.storeBytes(of: mean, toByteOffset: offset, as: SIMD8<Float>.self)
            v.storeBytes(of: variance, toByteOffset: offset, as: SIMD8<Float>.self)
            p.storeBytes(of: weights - scale * mean / denominator, toByteOffset: offset, as: SIMD8<Float>.self)
            g.storeBytes(of: SIMD8<Float>(repeating: 0), toByteOffset: offset, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            let grad = gradient[i] + l2 * parameters[i]
            gradient[i] = 0
            first[i] = beta1 * first[i] + (1 - beta1) * grad
            second[i] = beta2 * second[i] + (1 - beta2) * grad * grad
            parameters[i] -= scale * first[i] / ((second[i] * secondCorrection).squareRoot() + epsilon)
            i += 1
        }
    }
}
