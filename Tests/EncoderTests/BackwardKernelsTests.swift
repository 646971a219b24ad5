import Encoder
import Foundation
import Testing

/// Gradients of the encoder's building blocks against central finite differences of the
/// forward computation (written out here in Double, independently of the kernels), on random
/// inputs with a fixed seed, odd shapes included.
@Suite("Backward kernels")
struct BackwardKernelsTests {
    /// A small deterministic generator (xorshift), values in [-1, 1).
    struct Numbers {
        var state: UInt64
        mutating func next() -> Float {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Float(Double(state % 2_000_000) / 1_000_000 - 1)
        }
        mutating func values(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
    }

    /// Loss L = Σ weightᵢ·yᵢ with fixed random weights: dL/dy is those weights.
    static func loss(_ output: [Double], _ lossWeights: [Float]) -> Double {
        zip(output, lossWeights).reduce(0) { $0 + $1.0 * Double($1.1) }
    }

    static func dense(_ x: [Float], _ w: [Float], _ b: [Float], rows: Int, outputs: Int, inputs: Int) -> [Double] {
        var y = [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows {
            for o in 0..<outputs {
                var sum = Double(b[o])
                for i in 0..<inputs { sum += Double(x[r * inputs + i]) * Double(w[o * inputs + i]) }
                y[r * outputs + o] = sum
            }
        }
        return y
    }

    @Test("dense layer: weight, bias and input gradients", arguments: [(1, 3, 5), (4, 7, 3), (3, 16, 9)])
    func dense(rows: Int, outputs: Int, inputs: Int) {
        var numbers = Numbers(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(rows * 100 + outputs * 10 + inputs))
        let x = numbers.values(rows * inputs)
        let w = numbers.values(outputs * inputs)
        let b = numbers.values(outputs)
        let dy = numbers.values(rows * outputs)
        var dw = [Float](repeating: 0, count: w.count)
        var db = [Float](repeating: 0, count: b.count)
        var dx = [Float](repeating: 0, count: x.count)
        BackwardKernels.dense(
            rows: rows, outputs: outputs, inputs: inputs, input: x, weight: w, outputGradient: dy, weightGradient: &dw,
            biasGradient: &db, inputGradient: &dx)
        let h: Float = 1e-2  // the forward is linear: any step is exact up to rounding
        func numeric(_ perturb: (inout [Float], inout [Float], inout [Float], Float) -> Void) -> Double {
            var (xp, wp, bp) = (x, w, b)
            perturb(&xp, &wp, &bp, h)
            var (xm, wm, bm) = (x, w, b)
            perturb(&xm, &wm, &bm, -h)
            let plus = Self.loss(Self.dense(xp, wp, bp, rows: rows, outputs: outputs, inputs: inputs), dy)
            let minus = Self.loss(Self.dense(xm, wm, bm, rows: rows, outputs: outputs, inputs: inputs), dy)
            return (plus - minus) / Double(2 * h)
        }
        for index in w.indices {
            #expect(abs(numeric { _, w, _, step in w[index] += step } - Double(dw[index])) < 1e-3, "dW[\(index)]")
        }
        for index in b.indices {
            #expect(abs(numeric { _, _, b, step in b[index] += step } - Double(db[index])) < 1e-3, "db[\(index)]")
        }
        for index in x.indices {
            #expect(abs(numeric { x, _, _, step in x[index] += step } - Double(dx[index])) < 1e-3, "dX[\(index)]")
        }
    }

    @Test("GELU derivative against finite differences of the exact GELU, over the whole line")
    func gelu() {
        func exact(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
        for step in -80...80 {
            let x = Double(step) / 10
            let numeric = (exact(x + 1e-5) - exact(x - 1e-5)) / 2e-5
            #expect(abs(Double(BackwardKernels.geluDerivative(Float(x))) - numeric) < 2e-4, "x = \(x)")
        }
        var gradient: [Float] = [1, 2, -1]
        BackwardKernels.gelu(count: 3, preActivation: [0, 1, -2], gradient: &gradient)
        #expect(abs(gradient[0] - 0.5) < 1e-5)
        #expect(abs(gradient[1] - 2 * BackwardKernels.geluDerivative(1)) < 1e-6)
    }

    static func layerNorm(_ x: [Float], _ scale: [Float], _ shift: [Float], rows: Int, width: Int, epsilon: Double) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for r in 0..<rows {
            let line = (0..<width).map { Double(x[r * width + $0]) }
            let mean = line.reduce(0, +) / Double(width)
            let variance = line.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for c in 0..<width {
                y[r * width + c] = (line[c] - mean) / (variance + epsilon).squareRoot() * Double(scale[c]) + Double(shift[c])
            }
        }
        return y
    }

    @Test("LayerNorm: scale, shift and input gradients", arguments: [(1, 4), (3, 7), (2, 32)])
    func layerNorm(rows: Int, width: Int) {
        var numbers = Numbers(state: 0xD1B5_4A32_D192_ED03 &+ UInt64(rows * 100 + width))
        let x = numbers.values(rows * width).map { $0 * 3 }
        let scale = numbers.values(width).map { 1 + $0 / 2 }
        let shift = numbers.values(width)
        let dy = numbers.values(rows * width)
        let epsilon: Float = 1e-12
        var dScale = [Float](repeating: 0, count: width)
        var dShift = [Float](repeating: 0, count: width)
        var dx = [Float](repeating: 0, count: x.count)
        BackwardKernels.layerNorm(
            rows: rows, width: width, input: x, scale: scale, epsilon: epsilon, outputGradient: dy, scaleGradient: &dScale,
            shiftGradient: &dShift, inputGradient: &dx)
        let h: Float = 1e-3
        func numeric(_ perturb: (inout [Float], inout [Float], inout [Float], Float) -> Void) -> Double {
            var (xp, sp, tp) = (x, scale, shift)
            perturb(&xp, &sp, &tp, h)
            var (xm, sm, tm) = (x, scale, shift)
            perturb(&xm, &sm, &tm, -h)
            let plus = Self.loss(Self.layerNorm(xp, sp, tp, rows: rows, width: width, epsilon: Double(epsilon)), dy)
            let minus = Self.loss(Self.layerNorm(xm, sm, tm, rows: rows, width: width, epsilon: Double(epsilon)), dy)
            return (plus - minus) / Double(2 * h)
        }
        for index in x.indices {
            #expect(abs(numeric { x, _, _, step in x[index] += step } - Double(dx[index])) < 2e-3, "dX[\(index)]")
        }
        for index in 0..<width {
            #expect(abs(numeric { _, s, _, step in s[index] += step } - Double(dScale[index])) < 2e-3, "dScale[\(index)]")
            #expect(abs(numeric { _, _, t, step in t[index] += step } - Double(dShift[index])) < 2e-3, "dShift[\(index)]")
        }
    }

    /// C = softmax(scale · Q·Kᵀ) · V in Double, from Q, K, V packed `[length, 3 × width]`.
    static func attention(_ qkv: [Float], length: Int, width: Int, scale: Double) -> (context: [Double], probabilities: [Double]) {
        let stride = 3 * width
        var probabilities = [Double](repeating: 0, count: length * length)
        var context = [Double](repeating: 0, count: length * width)
        for i in 0..<length {
            var row = (0..<length).map { j in
                scale * (0..<width).reduce(0.0) { $0 + Double(qkv[i * stride + $1]) * Double(qkv[j * stride + width + $1]) }
            }
            let peak = row.max() ?? 0
            row = row.map { exp($0 - peak) }
            let total = row.reduce(0, +)
            for j in 0..<length { probabilities[i * length + j] = row[j] / total }
            for c in 0..<width {
                context[i * width + c] = (0..<length).reduce(0.0) {
                    $0 + probabilities[i * length + $1] * Double(qkv[$1 * stride + 2 * width + c])
                }
            }
        }
        return (context, probabilities)
    }

    @Test("attention head: query, key and value gradients", arguments: [(1, 4), (3, 5), (6, 8)])
    func attention(length: Int, width: Int) {
        var numbers = Numbers(state: 0xA076_1D64_78BD_642F &+ UInt64(length * 100 + width))
        let qkv = numbers.values(length * 3 * width)
        let dc = numbers.values(length * width)
        let scale = 1 / Float(width).squareRoot()
        let forward = Self.attention(qkv, length: length, width: width, scale: Double(scale))
        let probabilities = forward.probabilities.map { Float($0) }
        var dq = [Float](repeating: 0, count: length * width)
        var dk = dq
        var dv = dq
        var scratch = [Float](repeating: 0, count: length * length)
        qkv.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            AttentionBackward.head(
                length: length, width: width, stride: 3 * width, scale: scale, query: base, key: base + width,
                value: base + 2 * width, probabilities: probabilities, contextGradient: dc, queryGradient: &dq,
                keyGradient: &dk, valueGradient: &dv, scratch: &scratch)
        }
        let h: Float = 1e-3
        for token in 0..<length {
            for column in 0..<width {
                for (part, gradient) in [(0, dq), (1, dk), (2, dv)] {
                    let index = token * 3 * width + part * width + column
                    var plus = qkv
                    plus[index] += h
                    var minus = qkv
                    minus[index] -= h
                    let numeric =
                        (Self.loss(Self.attention(plus, length: length, width: width, scale: Double(scale)).context, dc)
                            - Self.loss(Self.attention(minus, length: length, width: width, scale: Double(scale)).context, dc))
                        / Double(2 * h)
                    #expect(abs(numeric - Double(gradient[token * width + column])) < 2e-3, "part \(part) [\(token), \(column)]")
                }
            }
        }
    }
}
