#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The element-wise parts of the forward pass that sgemm does not cover: bias adds, erf GELU,
/// residual + LayerNorm, softmax, pooling. Row-major buffers of `rows × width` floats.
///
/// Written as plain `while` loops over pointers, with no generic code: the compiler vectorises
/// them in release builds, and they stay fast enough in debug builds (where generic `SIMD` code
/// runs element by element through witness tables) for the tests to run the real model.
enum EncoderKernels {
    /// data[r] += bias, for every row.
    static func addBias(rows: Int, width: Int, data: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>) {
        var row = 0
        while row < rows {
            let line = data + row * width
            var column = 0
            while column < width {
                line[column] += bias[column]
                column += 1
            }
            row += 1
        }
    }

    /// data[r] = GELU(data[r] + bias) with the exact (erf) GELU, for every row.
    static func addBiasGELU(rows: Int, width: Int, data: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>) {
        var row = 0
        while row < rows {
            let line = data + row * width
            var column = 0
            while column < width {
                line[column] = gelu(line[column] + bias[column])
                column += 1
            }
            row += 1
        }
    }

    /// GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)).
    ///
    /// erf(z) ≈ z·P(z²)/Q(z²) for |z| ≤ 4 (erf is 1 in Float beyond): a degree-5/5 rational
    /// least-squares fit (scripts/encoder/fit_gelu_erf.py) with a maximum absolute error of
    /// 4.5e-7 in Float over the whole line, close to Float rounding, and no branches or libm
    /// calls, so it vectorises.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        var z = x * 0.70710678118654752
        z = z < -4 ? -4 : z
        z = z > 4 ? 4 : z
        let t = z * z
        var p: Float = 2.027286654993077e-06
        p = p * t + 0.0002861880057025701
        p = p * t + 0.00384470634162426
        p = p * t + 0.05298176407814026
        p = p * t + 0.1923081874847412
        p = p * t + 1.128378987312317
        var q: Float = 3.792855568462983e-05
        q = q * t + 0.00118105742149055
        q = q * t + 0.015124429017305374
        q = q * t + 0.1148795336484909
        q = q * t + 0.503760576248169
        q = q * t + 1.0
        let erf = z * p / q
        return 0.5 * x * (1 + erf)
    }

    /// output[r] = LayerNorm(input[r] + bias + residual[r]) · scale + shift. `input` is used as
    /// scratch; `output` may be the same buffer as `residual`.
    static func addResidualLayerNorm(
        rows: Int, width: Int, input: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>,
        epsilon: Float, output: UnsafeMutablePointer<Float>
    ) {
        var row = 0
        while row < rows {
            let line = input + row * width
            let skip = residual + row * width
            var column = 0
            while column < width {
                line[column] += bias[column] + skip[column]
                column += 1
            }
            normalizeRow(line, width: width, scale: scale, shift: shift, epsilon: epsilon, output: output + row * width)
            row += 1
        }
    }

    /// data[r] = LayerNorm(data[r]) · scale + shift, in place.
    static func layerNorm(
        rows: Int, width: Int, data: UnsafeMutablePointer<Float>,
        scale: UnsafePointer<Float>, shift: UnsafePointer<Float>, epsilon: Float
    ) {
        var row = 0
        while row < rows {
            normalizeRow(data + row * width, width: width, scale: scale, shift: shift, epsilon: epsilon, output: data + row * width)
            row += 1
        }
    }

    /// Two-pass mean and variance (biased, as LayerNorm defines it), then the affine map.
    @inline(__always)
    private static func normalizeRow(
        _ line: UnsafeMutablePointer<Float>, width: Int, scale: UnsafePointer<Float>,
        shift: UnsafePointer<Float>, epsilon: Float, output: UnsafeMutablePointer<Float>
    ) {
        let mean = sum(line, count: width) / Float(width)
        // Four partial sums: independent chains the compiler can keep in vector lanes.
        var s0: Float = 0
        var s1: Float = 0
        var s2: Float = 0
        var s3: Float = 0
        var column = 0
        while column + 4 <= width {
            let c0 = line[column] - mean
            let c1 = line[column + 1] - mean
            let c2 = line[column + 2] - mean
            let c3 = line[column + 3] - mean
            s0 += c0 * c0
            s1 += c1 * c1
            s2 += c2 * c2
            s3 += c3 * c3
            column += 4
        }
        while column < width {
            let c = line[column] - mean
            s0 += c * c
            column += 1
        }
        let inverse = 1 / ((s0 + s1 + s2 + s3) / Float(width) + epsilon).squareRoot()
        column = 0
        while column < width {
            output[column] = (line[column] - mean) * inverse * scale[column] + shift[column]
            column += 1
        }
    }

    /// Sum with four partial sums.
    @inline(__always)
    private static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var s0: Float = 0
        var s1: Float = 0
        var s2: Float = 0
        var s3: Float = 0
        var index = 0
        while index + 4 <= count {
            s0 += values[index]
            s1 += values[index + 1]
            s2 += values[index + 2]
            s3 += values[index + 3]
            index += 4
        }
        while index < count {
            s0 += values[index]
            index += 1
        }
        return s0 + s1 + s2 + s3
    }

    /// Softmax of each of `rows` rows of `width` values, in place.
    static func softmaxRows(rows: Int, width: Int, data: UnsafeMutablePointer<Float>) {
        var row = 0
        while row < rows {
            let line = data + row * width
            var largest = -Float.infinity
            var column = 0
            while column < width {
                largest = line[column] > largest ? line[column] : largest
                column += 1
            }
            var total: Float = 0
            column = 0
            while column < width {
                let value = expf(line[column] - largest)
                line[column] = value
                total += value
                column += 1
            }
            let inverse = 1 / total
            column = 0
            while column < width {
                line[column] *= inverse
                column += 1
            }
            row += 1
        }
    }

    /// The L2-normalised mean of `rows` rows of `width` values.
    static func meanPoolNormalized(rows: Int, width: Int, data: UnsafePointer<Float>) -> [Float] {
        [Float](unsafeUninitializedCapacity: width) { buffer, count in
            guard let out = buffer.baseAddress else { return }
            out.initialize(repeating: 0, count: width)
            var row = 0
            while row < rows {
                let line = data + row * width
                var column = 0
                while column < width {
                    out[column] += line[column]
                    column += 1
                }
                row += 1
            }
            // The mean's 1/rows factor cancels in the normalisation.
            let norm = squaredNorm(out, count: width).squareRoot()
            let inverse = norm > 0 ? 1 / norm : 0
            var column = 0
            while column < width {
                out[column] *= inverse
                column += 1
            }
            count = width
        }
    }

    @inline(__always)
    private static func squaredNorm(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var total: Float = 0
        var index = 0
        while index < count {
            total += values[index] * values[index]
            index += 1
        }
        return total
    }
}
