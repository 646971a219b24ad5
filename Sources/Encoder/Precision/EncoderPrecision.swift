import CDNNL

/// The number format of the encoder's matrix products (`--precision`). Weights and activations of
/// the four linear layers of every transformer layer are rounded to it; embeddings, attention,
/// LayerNorm, pooling and every sum stay in float32.
public enum EncoderPrecision: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The best format this CPU runs natively: `bf16` where oneDNN finds AVX-512 BF16 or AMX,
    /// otherwise `fp32`.
    case auto
    /// float32 through OpenBLAS `sgemm`: the reference, and the fallback on every CPU.
    case fp32
    /// bfloat16 products with float32 accumulation through oneDNN (AMX tiles or AVX-512 BF16 dot
    /// products). Embeddings stay within cosine 0.995 of `fp32` (docs/encoder.md).
    case bf16

    public var description: String { rawValue }

    /// The precision to run with on a CPU with `features`: `auto` chosen, and an explicit
    /// request checked. Throws `.precisionUnavailable` for `bf16` on a CPU without native BF16,
    /// where oneDNN would emulate it more slowly than `fp32` runs.
    public func resolved(for features: CPUFeatures) throws(EncoderError) -> EncoderPrecision {
        switch self {
        case .auto:
            return features.bf16 ? .bf16 : .fp32
        case .fp32:
            return .fp32
        case .bf16:
            guard features.bf16 else {
                throw EncoderError(
                    .precisionUnavailable,
                    "bf16 needs a CPU with AVX-512 BF16 or AMX, and oneDNN finds \(features.isa) here; use --precision fp32 or auto"
                )
            }
            return .bf16
        }
    }
}

/// What the CPU offers the encoder, as oneDNN sees it: its effective instruction set, which
/// `DNNL_MAX_CPU_ISA` in the environment can lower (that is how the fallback is tested).
public struct CPUFeatures: Sendable, Equatable, CustomStringConvertible {
    /// oneDNN's name for the instruction set it dispatches to, e.g. `avx512_core_amx`.
    public let isa: String
    /// Native bfloat16 dot products (AVX-512 BF16 or AMX-BF16).
    public let bf16: Bool
    /// Matrix tiles (AMX).
    public let amx: Bool

    /// Features with the given values, for tests of the dispatch.
    public init(isa: String, bf16: Bool, amx: Bool) {
        self.isa = isa
        self.bf16 = bf16
        self.amx = amx
    }

    /// This machine's features, from `dnnl_get_effective_cpu_isa`.
    public static func detect() -> CPUFeatures {
        let isa = dnnl_get_effective_cpu_isa()
        func has(_ level: dnnl_cpu_isa_t) -> Bool { isa.rawValue & level.rawValue == level.rawValue }
        let names: [(dnnl_cpu_isa_t, String)] = [
            (dnnl_cpu_isa_avx512_core_amx, "avx512_core_amx"), (dnnl_cpu_isa_avx512_core_bf16, "avx512_core_bf16"),
            (dnnl_cpu_isa_avx512_core_vnni, "avx512_core_vnni"), (dnnl_cpu_isa_avx512_core, "avx512_core"),
            (dnnl_cpu_isa_avx2, "avx2"), (dnnl_cpu_isa_avx, "avx"), (dnnl_cpu_isa_sse41, "sse41"),
        ]
        let name = names.first { has($0.0) }?.1 ?? "baseline"
        return CPUFeatures(isa: name, bf16: has(dnnl_cpu_isa_avx512_core_bf16), amx: has(dnnl_cpu_isa_avx512_core_amx))
    }

    public var description: String { isa }
}
