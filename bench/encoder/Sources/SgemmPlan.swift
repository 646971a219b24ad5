import BenchOpenBLAS
import Dispatch
import Encoder

/// Synthetic weights with the shapes of MiniLM-L6's linear layers (distinct per layer, 42 MB in
/// all, so caches behave as with the real model) and activation buffers for the largest batch.
final class SgemmWeights: @unchecked Sendable {
    static let hidden = 384
    static let intermediate = 1536
    static let layers = 6
    let perLayer:
        [(
            qkv: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
            up: UnsafeMutablePointer<Float>, down: UnsafeMutablePointer<Float>
        )]
    let input: UnsafeMutablePointer<Float>
    /// One output buffer per worker (`SgemmPlan.run(workers:)`), so concurrent products never
    /// write the same memory.
    let outputs: [UnsafeMutablePointer<Float>]
    var output: UnsafeMutablePointer<Float> { outputs[0] }

    init(maxTokens: Int, workers: Int = 2) {
        let h = Self.hidden
        let i = Self.intermediate
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ count: Int) -> UnsafeMutablePointer<Float> {
            // A cheap deterministic generator: the values only need to be ordinary floats.
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            for index in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                pointer[index] = Float(Int32(truncatingIfNeeded: state >> 32)) * (0.05 / Float(Int32.max))
            }
            return pointer
        }
        perLayer = (0..<Self.layers).map { _ in (random(3 * h * h), random(h * h), random(i * h), random(h * i)) }
        input = random(maxTokens * i)
        outputs = (0..<max(workers, 1)).map { _ in random(maxTokens * i) }
    }
}

/// The exact sequence of fp32 sgemm calls `MiniLMEncoder.embed` makes for a list of texts (same
/// packing into batches after the same stable sort by token count, same shapes, batches dealt
/// to workers the same way), on synthetic weights: the encoder's ceiling.
struct SgemmPlan {
    let weights: SgemmWeights
    let batches: [Int]
    let tokenCount: Int
    let linearFLOPs: Double
    let attentionFLOPs: Double

    /// `weights` must hold `encoder.configuration.maxBatchTokens` rows, the largest batch.
    init(texts: [String], encoder: MiniLMEncoder, weights: SgemmWeights) {
        let configuration = encoder.configuration
        let lengths = texts.map { encoder.tokenizer.encode($0, maxTokens: configuration.maxTokens).count }
        var batches: [Int] = []
        var tokens = 0
        var members = 0
        for length in lengths.sorted() {
            if members == configuration.batchSize || tokens + length > configuration.maxBatchTokens {
                batches.append(tokens)
                tokens = 0
                members = 0
            }
            tokens += length
            members += 1
        }
        batches.append(tokens)
        let h = Double(SgemmWeights.hidden)
        let i = Double(SgemmWeights.intermediate)
        let layers = Double(SgemmWeights.layers)
        self.weights = weights
        self.batches = batches
        tokenCount = lengths.reduce(0, +)
        linearFLOPs = 2 * Double(tokenCount) * (4 * h * h + 2 * h * i) * layers
        attentionFLOPs = lengths.reduce(0) { $0 + 4 * Double($1 * $1) * h } * layers
    }

    /// Runs the products; with `workers` > 1, batch k goes to worker k mod `workers` and the
    /// workers run concurrently, each on one thread (as `MiniLMEncoder.embed` with `threads`).
    /// OpenBLAS must be set to one thread (`MiniLMEncoder.init` does that).
    func run(workers: Int = 1) {
        let count = min(max(workers, 1), batches.count, weights.outputs.count)
        if count == 1 {
            run(batches, output: weights.outputs[0])
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { worker in
                run(stride(from: worker, to: batches.count, by: count).map { batches[$0] }, output: weights.outputs[worker])
            }
        }
    }

    private func run(_ batches: [Int], output: UnsafeMutablePointer<Float>) {
        let w = weights
        let h = SgemmWeights.hidden
        let i = SgemmWeights.intermediate
        for rows in batches {
            for layer in w.perLayer {
                gemm(rows, 3 * h, h, w.input, layer.qkv, output)
                gemm(rows, h, h, w.input, layer.output, output)
                gemm(rows, i, h, w.input, layer.up, output)
                gemm(rows, h, i, w.input, layer.down, output)
            }
        }
    }

    private func gemm(
        _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }
}

extension SgemmWeights {
    /// GFLOP/s of one large product, 1024×384 · 384×1536 (the reference shape), median
    /// of `repeats` runs; needs `maxTokens` ≥ 1024.
    func largeShapeGFLOPs(repeats: Int) -> Double {
        let m = 1024
        let n = SgemmWeights.intermediate
        let k = SgemmWeights.hidden
        let up = perLayer[0].up
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, input, Int32(k), up, Int32(k), 0, output,
                Int32(n))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return 2 * Double(m * n * k) / times.sorted()[times.count / 2] / 1e9
    }
}
