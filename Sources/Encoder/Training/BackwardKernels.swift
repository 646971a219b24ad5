import COpenBLAS

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Gradients of the encoder's building blocks, the first pieces of fine-tuning MiniLM in Swift
/// (issue 14): a dense layer on the same OpenBLAS sgemm as the forward pass, GELU and LayerNorm.
/// Each is checked against central finite differences in `BackwardKernelsTests`;
/// `LayerBackpropagation` chains them into a whole transformer layer.
public enum BackwardKernels {
    /// For output = input · weightᵀ + bias (`weight` stored `[outputs, inputs]`, as in the
    /// forward pass) and the loss gradient `outputGradient[rows, outputs]`: adds the weight
    /// gradient to `weightGradient[outputs, inputs]`, the bias gradient to
    /// `biasGradient[outputs]`, and writes the input gradient to `inputGradient[rows, inputs]`
    /// (skipped when nil: the lowest tuned layer needs no gradient for its input).
    public static func dense(
        rows: Int, outputs: Int, inputs: Int, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        outputGradient: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?
    ) {
        // dW += dYᵀ · X
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outputs), Int32(inputs), Int32(rows),
            1, outputGradient, Int32(outputs), input, Int32(inputs), 1, weightGradient, Int32(inputs))
        // dX = dY · W
        if let inputGradient {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(inputs), Int32(outputs),
                1, outputGradient, Int32(outputs), weight, Int32(inputs), 0, inputGradient, Int32(inputs))
        }
        for row in 0..<rows {
            let line = outputGradient + row * outputs
            for column in 0..<outputs { biasGradient[column] += line[column] }
        }
    }

    /// dGELU/dx = Φ(x) + x·φ(x), with Φ from the forward pass's erf approximation
    /// (`EncoderKernels.gelu(x) / x`, taken directly for x near 0) and φ the standard normal density.
    @inline(__always)
    public static func geluDerivative(_ x: Float) -> Float {
        let density = 0.3989422804014327 * expf(-0.5 * x * x)
        let cumulative: Float = abs(x) < 1e-6 ? 0.5 : EncoderKernels.gelu(x) / x
        return cumulative + x * density
    }

    /// gradient[i] *= GELU′(preActivation[i]) for `count` values, in place.
    public static func gelu(
        count: Int, preActivation: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>
    ) {
        for index in 0..<count { gradient[index] *= geluDerivative(preActivation[index]) }
    }

    /// For y = LayerNorm(x)·scale + shift over each row of `input[rows, width]` and the loss
    /// gradient `outputGradient`: adds to `scaleGradient` and `shiftGradient` and writes the
    /// input gradient, dx = (1/σ)·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·scale.
    public static func layerNorm(
        rows: Int, width: Int, input: UnsafePointer<Float>, scale: UnsafePointer<Float>, epsilon: Float,
        outputGradient: UnsafePointer<Float>, scaleGradient: UnsafeMutablePointer<Float>,
        shiftGradient: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>
    ) {
        var normalized = [Float](repeating: 0, count: width)
        var scaled = [Float](repeating: 0, count: width)
        for row in 0..<rows {
            let x = input + row * width
            let dy = outputGradient + row * width
            let dx = inputGradient + row * width
            var mean: Float = 0
            for column in 0..<width { mean += x[column] }
            mean /= Float(width)
            var variance: Float = 0
            for column in 0..<width { variance += (x[column] - mean) * (x[column] - mean) }
            variance /= Float(width)
            let inverse = 1 / (variance + epsilon).squareRoot()
            var meanScaled: Float = 0
            var meanProduct: Float = 0
            for column in 0..<width {
                normalized[column] = (x[column] - mean) * inverse
                scaled[column] = dy[column] * scale[column]
                scaleGradient[column] += dy[column] * normalized[column]
                shiftGradient[column] += dy[column]
                meanScaled += scaled[column]
                meanProduct += scaled[column] * normalized[column]
            }
            meanScaled /= Float(width)
            meanProduct /= Float(width)
            for column in 0..<width {
                dx[column] = inverse * (scaled[column] - meanScaled - normalized[column] * meanProduct)
            }
        }
    }
}
