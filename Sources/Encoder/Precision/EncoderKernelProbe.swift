import CDNNL
import Dispatch

/// Measures the encoder's bfloat16 kernel on its own, for benchmarks (bench/encoder): the rate
/// the encoder's products could reach, to set its own figures against.
public enum EncoderKernelProbe {
    /// GFLOP/s of one `BF16Linear` product, `[rows, inputs] · [inputs, outputs]` (no bias, no
    /// GELU), on one thread: median of `repeats` runs after one warm-up run that makes the
    /// primitive. Weights and inputs are deterministic pseudo-random values; every run includes
    /// rounding the float32 input to bfloat16, as in the encoder. Nil when this CPU has no native
    /// bfloat16 (`CPUFeatures.bf16`) or oneDNN cannot run the product.
    public static func bf16MatmulGFLOPs(rows: Int, inputs: Int, outputs: Int, repeats: Int) -> Double? {
        guard rows > 0, inputs > 0, outputs > 0, repeats > 0, CPUFeatures.detect().bf16 else { return nil }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ count: Int) -> [Float] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int32(truncatingIfNeeded: state >> 32)) * (0.05 / Float(Int32.max))
            }
        }
        let weight = random(outputs * inputs)
        let input = random(rows * inputs)
        var output = [Float](repeating: 0, count: rows * outputs)
        var scratch = [UInt16](repeating: 0, count: rows * inputs)
        guard let engine = try? DNNLEngine(),
            let linear = try? weight.withUnsafeBufferPointer({ weight throws(EncoderError) in
                try BF16Linear(engine: engine, weight: weight.baseAddress!, outputs: outputs, inputs: inputs)
            }),
            let stream = engine.makeStream()
        else { return nil }
        defer { dnnl_stream_destroy(stream) }
        let arena = ScratchpadArena()
        var times: [Double] = []
        for run in 0...repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            let ran = input.withUnsafeBufferPointer { input in
                linear.apply(
                    rows: rows, input: input.baseAddress!, scratch: &scratch, output: &output, stream: stream,
                    scratchpad: arena)
            }
            guard ran else { return nil }
            if run > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        }
        return 2 * Double(rows * inputs * outputs) / times.sorted()[times.count / 2] / 1e9
    }
}
