import CDNNL
import Foundation
import Synchronization
import Testing

@testable import Encoder

/// The bfloat16 linear layer (oneDNN) against a float32 reference computed here in Double on
/// the same bfloat16-rounded inputs and weights: the only differences left are the order of the
/// float32 sums. Runs only where the CPU does bfloat16 natively; elsewhere the dispatch test
/// below checks that `auto` falls back to float32.
@Suite("bfloat16 linear layers", .enabled(if: CPUFeatures.detect().bf16))
struct BF16LinearTests {
    /// Deterministic values in [-scale, scale].
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    static func rounded(_ values: [Float]) -> [Float] {
        var bits = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { BFloat16.round($0.baseAddress!, into: &bits, count: values.count) }
        return bits.map(BFloat16.float)
    }

    /// output[r, o] = Σ input[r, i]·weight[o, i] (+ bias[o]) (then exact GELU), in Double.
    static func reference(
        input: [Float], weight: [Float], bias: [Float]?, gelu: Bool, rows: Int, outputs: Int, inputs: Int
    ) -> [Double] {
        var result = [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows {
            for o in 0..<outputs {
                var sum = Double(bias?[o] ?? 0)
                for i in 0..<inputs { sum += Double(input[r * inputs + i]) * Double(weight[o * inputs + i]) }
                result[r * outputs + o] = gelu ? 0.5 * sum * (1 + erf(sum / 2.0.squareRoot())) : sum
            }
        }
        return result
    }

    static func run(
        _ linear: BF16Linear, input: [Float], rows: Int, engine: DNNLEngine
    ) throws -> [Float] {
        var output = [Float](repeating: .nan, count: rows * linear.outputs)
        var scratch = [UInt16](repeating: 0, count: max(1, rows * linear.inputs))
        let stream = try #require(engine.makeStream())
        defer { dnnl_stream_destroy(stream) }
        let ran = input.withUnsafeBufferPointer { input in
            linear.apply(
                rows: rows, input: input.baseAddress!, scratch: &scratch, output: &output, stream: stream,
                scratchpad: ScratchpadArena())
        }
        #expect(ran)
        return output
    }

    @Test(
        "random weights, odd and real shapes, with and without bias and GELU",
        arguments: [
            (1, 384, 1152, true, false), (7, 384, 384, false, false), (13, 384, 1536, true, true), (33, 1536, 384, false, false),
            (5, 17, 29, true, true), (64, 384, 1152, true, false), (257, 384, 1152, true, false), (130, 1536, 384, false, false),
        ])
    func randomShapes(rows: Int, inputs: Int, outputs: Int, withBias: Bool, gelu: Bool) throws {
        let engine = try DNNLEngine()
        let weight = Self.random(outputs * inputs, seed: UInt64(inputs * outputs), scale: 0.1)
        let bias = withBias ? Self.random(outputs, seed: 7) : nil
        let input = Self.random(rows * inputs, seed: UInt64(rows), scale: 2)
        let linear = try weight.withUnsafeBufferPointer { weightPointer in
            try (bias ?? []).withUnsafeBufferPointer { biasPointer in
                try BF16Linear(
                    engine: engine, weight: weightPointer.baseAddress!, outputs: outputs, inputs: inputs,
                    bias: withBias ? biasPointer.baseAddress : nil, gelu: gelu)
            }
        }
        let output = try Self.run(linear, input: input, rows: rows, engine: engine)
        let expected = Self.reference(
            input: Self.rounded(input), weight: Self.rounded(weight), bias: bias, gelu: gelu, rows: rows, outputs: outputs,
            inputs: inputs)
        var worst = 0.0
        for (got, want) in zip(output, expected) {
            worst = max(worst, abs(Double(got) - want) / max(1, abs(want)))
        }
        #expect(worst < 1e-4, "largest error \(worst) for \(rows)×\(inputs)·\(inputs)×\(outputs)")
    }

    @Test("one layer running on two threads at once, on different inputs, gives exactly what it gives alone")
    func concurrentCalls() throws {
        // Two workers of one `embed` call run the same layer on batches of the same row count at
        // once. oneDNN keeps one scratchpad per primitive unless each call brings its own; this
        // caught the two calls overwriting each other's partial results.
        let engine = try DNNLEngine()
        let weight = Self.random(1536 * 384, seed: 11, scale: 0.1)
        let linear = try weight.withUnsafeBufferPointer {
            try BF16Linear(engine: engine, weight: $0.baseAddress!, outputs: 1536, inputs: 384, gelu: true)
        }
        let rows = 1024
        let inputs = (0..<2).map { Self.random(rows * 384, seed: UInt64($0 + 21)) }
        let alone = try inputs.map { try Self.run(linear, input: $0, rows: rows, engine: engine) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { which in
            for _ in 0..<80 {
                guard let together = try? Self.run(linear, input: inputs[which], rows: rows, engine: engine),
                    together == alone[which]
                else {
                    mismatches.withLock { $0 += 1 }
                    continue
                }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }

    @Test(
        "real weights: every linear layer of MiniLM's first transformer layer",
        .enabled(if: ModelFixture.weightsOrRequired, "needs scripts/fetch-encoder"))
    func realWeights() throws {
        try ModelFixture.requireWeights()
        let tensors = try SafeTensors(contentsOf: ModelFixture.modelDirectory.appendingPathComponent("model.safetensors"))
        let engine = try DNNLEngine()
        let prefix = "encoder.layer.0."
        let layers: [(name: String, outputs: Int, inputs: Int, gelu: Bool)] = [
            ("attention.self.query", 384, 384, false), ("attention.output.dense", 384, 384, false),
            ("intermediate.dense", 1536, 384, true), ("output.dense", 384, 1536, false),
        ]
        for layer in layers {
            let weight = Array(try tensors.floats(prefix + layer.name + ".weight", shape: [layer.outputs, layer.inputs]))
            let bias = Array(try tensors.floats(prefix + layer.name + ".bias", shape: [layer.outputs]))
            let rows = 11
            let input = Self.random(rows * layer.inputs, seed: UInt64(layer.inputs), scale: 3)
            let linear = try weight.withUnsafeBufferPointer { weightPointer in
                try bias.withUnsafeBufferPointer { biasPointer in
                    try BF16Linear(
                        engine: engine, weight: weightPointer.baseAddress!, outputs: layer.outputs, inputs: layer.inputs,
                        bias: biasPointer.baseAddress, gelu: layer.gelu)
                }
            }
            let output = try Self.run(linear, input: input, rows: rows, engine: engine)
            let expected = Self.reference(
                input: Self.rounded(input), weight: Self.rounded(weight), bias: bias, gelu: layer.gelu, rows: rows,
                outputs: layer.outputs, inputs: layer.inputs)
            let worst = zip(output, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(worst < 1e-4, "\(layer.name): largest error \(worst)")
            // And against float32 inputs and weights (no rounding), the bfloat16 error stays small.
            let exact = Self.reference(
                input: input, weight: weight, bias: bias, gelu: layer.gelu, rows: rows, outputs: layer.outputs,
                inputs: layer.inputs)
            let rounding = zip(output, exact).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(rounding < 0.05, "\(layer.name): bfloat16 rounding error \(rounding)")
        }
    }

    @Test("the same layer gives the same rows whatever the row count it runs with")
    func rowCountIndependent() throws {
        let engine = try DNNLEngine()
        let weight = Self.random(96 * 40, seed: 3, scale: 0.2)
        let linear = try weight.withUnsafeBufferPointer {
            try BF16Linear(engine: engine, weight: $0.baseAddress!, outputs: 96, inputs: 40)
        }
        let input = Self.random(20 * 40, seed: 5)
        let all = try Self.run(linear, input: input, rows: 20, engine: engine)
        let first = try Self.run(linear, input: Array(input.prefix(3 * 40)), rows: 3, engine: engine)
        for (a, b) in zip(all.prefix(3 * 96), first) {
            #expect(abs(a - b) <= 1e-5 * max(1, abs(a)))
        }
    }
}

/// Which precision runs on which CPU: `auto` takes bfloat16 only where the CPU does it natively;
/// an explicit `bf16` elsewhere is refused with what to do.
@Suite("Precision dispatch")
struct PrecisionDispatchTests {
    @Test("auto falls back to fp32 without native bfloat16; bf16 is then refused")
    func fallback() throws {
        let avx2 = CPUFeatures(isa: "avx2", bf16: false, amx: false)
        #expect(try EncoderPrecision.auto.resolved(for: avx2) == .fp32)
        #expect(try EncoderPrecision.fp32.resolved(for: avx2) == .fp32)
        let error = #expect(throws: EncoderError.self) { try EncoderPrecision.bf16.resolved(for: avx2) }
        #expect(error?.code == .precisionUnavailable)
        #expect(error?.description.contains("--precision fp32") == true)
    }

    @Test("auto takes bf16 where the CPU has AVX-512 BF16 or AMX")
    func native() throws {
        let amx = CPUFeatures(isa: "avx512_core_amx", bf16: true, amx: true)
        #expect(try EncoderPrecision.auto.resolved(for: amx) == .bf16)
        #expect(try EncoderPrecision.fp32.resolved(for: amx) == .fp32)
        #expect(try EncoderPrecision.bf16.resolved(for: amx) == .bf16)
    }

    @Test("this machine's features are read from oneDNN")
    func detected() {
        let features = CPUFeatures.detect()
        #expect(!features.isa.isEmpty)
        #expect(!features.amx || features.bf16)
    }
}
