import COpenBLAS

/// The gradient of one attention head, C = softmax(scale · Q·Kᵀ) · V over `length` tokens of
/// head width `width`, on OpenBLAS sgemm like the forward pass. Checked against finite
/// differences in `BackwardKernelsTests`.
public enum AttentionBackward {
    /// Given Q, K, V (`[length, width]` each, row stride `stride`), the attention probabilities
    /// `probabilities[length, length]` saved by the forward pass and `contextGradient[length,
    /// width]` (row stride `contextStride`, default dense), writes dQ, dK and dV (`[length,
    /// width]`, row stride `gradientStride`, default dense: the columns of one head in a fused
    /// `[tokens, 3·hidden]` gradient). `scratch` holds `length × length` floats.
    public static func head(
        length: Int, width: Int, stride: Int, scale: Float, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
        value: UnsafePointer<Float>, probabilities: UnsafePointer<Float>, contextGradient: UnsafePointer<Float>,
        contextStride: Int? = nil, queryGradient: UnsafeMutablePointer<Float>, keyGradient: UnsafeMutablePointer<Float>,
        valueGradient: UnsafeMutablePointer<Float>, gradientStride: Int? = nil, scratch: UnsafeMutablePointer<Float>
    ) {
        let n = Int32(length)
        let d = Int32(width)
        let dc = Int32(contextStride ?? width)
        let dg = Int32(gradientStride ?? width)
        // dV = Pᵀ · dC
        cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, n, d, n, 1, probabilities, n, contextGradient, dc, 0, valueGradient, dg)
        // dP = dC · Vᵀ (into scratch)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, 1, contextGradient, dc, value, Int32(stride), 0, scratch, n)
        softmaxRows(rows: length, width: length, probabilities: probabilities, gradient: scratch)
        // dQ = scale · dS · K, dK = scale · dSᵀ · Q
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, scale, scratch, n, key, Int32(stride), 0, queryGradient, dg)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, d, n, scale, scratch, n, query, Int32(stride), 0, keyGradient, dg)
    }

    /// In place: gradient (dL/dp of a row-wise softmax p) becomes dL/ds, p ⊙ (g − Σ g·p) per row.
    public static func softmaxRows(
        rows: Int, width: Int, probabilities: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rows {
            let p = probabilities + row * width
            let g = gradient + row * width
            var dot: Float = 0
            for column in 0..<width { dot += g[column] * p[column] }
            for column in 0..<width { g[column] = p[column] * (g[column] - dot) }
        }
    }
}
