import CDNNL
import Synchronization

/// One linear layer, `output[rows, outputs] = input[rows, inputs] · Wᵀ (+ bias) (then GELU)`, with
/// bfloat16 inputs and weights, float32 accumulation and float32 output, through oneDNN's matmul
/// (AMX tiles or AVX-512 BF16 on CPUs that have them). The weights are converted and laid out
/// for the CPU's kernel once, at load; the primitive for each row count is made on first use
/// (about 0.4 ms) and kept. Thread-safe: concurrent calls need only their own stream and scratch.
final class BF16Linear: @unchecked Sendable {
    let inputs: Int
    let outputs: Int
    let addsBias: Bool
    let appliesGELU: Bool

    private let engine: DNNLEngine
    private let bias: UnsafePointer<Float>?
    private var weightsDescriptor: dnnl_memory_desc_t
    private let weights: dnnl_memory_t
    private let primitives = Mutex<[Int: Primitive]>([:])

    /// A oneDNN primitive handle and the scratch memory it needs per call. Primitives may run on
    /// several threads at once because each call brings its own scratchpad: by default oneDNN
    /// shares one between all primitives, which corrupts results when two run at once.
    private struct Primitive: @unchecked Sendable {
        let handle: OpaquePointer
        var scratchpad: dnnl_memory_desc_t
        let scratchpadBytes: Int
    }

    /// Converts `weight` (`[outputs, inputs]` float32, PyTorch layout) for oneDNN. With `bias`, it
    /// is added to every row; with `gelu`, GELU (erf form) follows.
    init(
        engine: DNNLEngine, weight: UnsafePointer<Float>, outputs: Int, inputs: Int, bias: UnsafePointer<Float>? = nil,
        gelu: Bool = false
    ) throws(EncoderError) {
        self.engine = engine
        self.inputs = inputs
        self.outputs = outputs
        self.bias = bias
        self.addsBias = bias != nil
        self.appliesGELU = gelu
        // The layout oneDNN wants for these weights, from a primitive planned for 16 rows.
        var source = DNNLEngine.matrix(rows: 16, columns: inputs, type: dnnl_bf16)
        var anyWeights = DNNLEngine.anyLayout(rows: inputs, columns: outputs, type: dnnl_bf16)
        var destination = DNNLEngine.matrix(rows: 16, columns: outputs, type: dnnl_f32)
        var operation = dnnl_matmul_desc_t()
        var plan: dnnl_primitive_desc_t?
        guard dnnl_matmul_desc_init(&operation, &source, &anyWeights, nil, &destination) == dnnl_success,
            dnnl_primitive_desc_create(&plan, &operation, nil, engine.handle, nil) == dnnl_success, let plan,
            let chosen = dnnl_primitive_desc_query_md(plan, dnnl_query_weights_md, 0)
        else {
            throw EncoderError(.precisionUnavailable, "oneDNN has no bf16 matmul for \(inputs)×\(outputs) on this CPU")
        }
        weightsDescriptor = chosen.pointee
        dnnl_primitive_desc_destroy(plan)

        // Reorder the float32 [outputs, inputs] matrix (an inputs×outputs matrix stored column
        // by column) into bfloat16 in that layout.
        var userDescriptor = DNNLEngine.matrix(rows: inputs, columns: outputs, type: dnnl_f32, columnMajor: true)
        var user: dnnl_memory_t?
        var converted: dnnl_memory_t?
        var reorderPlan: dnnl_primitive_desc_t?
        var reorder: dnnl_primitive_t?
        let stream = engine.makeStream()
        defer {
            if let user { dnnl_memory_destroy(user) }
            if let reorder { dnnl_primitive_destroy(reorder) }
            if let reorderPlan { dnnl_primitive_desc_destroy(reorderPlan) }
            if let stream { dnnl_stream_destroy(stream) }
        }
        guard let stream,
            dnnl_memory_create(&user, &userDescriptor, engine.handle, UnsafeMutableRawPointer(mutating: weight)) == dnnl_success,
            dnnl_memory_create(&converted, &weightsDescriptor, engine.handle, supportbot_dnnl_memory_allocate()) == dnnl_success,
            let user, let converted,
            dnnl_reorder_primitive_desc_create(
                &reorderPlan, &userDescriptor, engine.handle, &weightsDescriptor, engine.handle, nil) == dnnl_success,
            dnnl_primitive_create(&reorder, reorderPlan) == dnnl_success, let reorder
        else {
            throw EncoderError(.precisionUnavailable, "oneDNN could not convert a \(outputs)×\(inputs) weight matrix to bf16")
        }
        var arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: user), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: converted)]
        guard dnnl_primitive_execute(reorder, stream, 2, &arguments) == dnnl_success, dnnl_stream_wait(stream) == dnnl_success
        else {
            dnnl_memory_destroy(converted)
            throw EncoderError(.precisionUnavailable, "oneDNN failed converting a \(outputs)×\(inputs) weight matrix to bf16")
        }
        weights = converted
    }

    deinit {
        primitives.withLock { cache in
            for primitive in cache.values { dnnl_primitive_destroy(primitive.handle) }
        }
        dnnl_memory_destroy(weights)
    }

    /// Runs the layer on `rows` rows of `input` (float32, rounded to bfloat16 into `scratch`,
    /// which holds at least `rows · inputs` values), writing `output`; oneDNN's own scratch memory
    /// comes from `scratchpad`. Returns false when oneDNN cannot run it (the caller then uses
    /// float32).
    func apply(
        rows: Int, input: UnsafePointer<Float>, scratch: UnsafeMutablePointer<UInt16>, output: UnsafeMutablePointer<Float>,
        stream: dnnl_stream_t, scratchpad: ScratchpadArena
    ) -> Bool {
        guard rows > 0, var primitive = primitive(rows: rows) else { return rows == 0 }
        BFloat16.round(input, into: scratch, count: rows * inputs)
        var sourceDescriptor = DNNLEngine.matrix(rows: rows, columns: inputs, type: dnnl_bf16)
        var destinationDescriptor = DNNLEngine.matrix(rows: rows, columns: outputs, type: dnnl_f32)
        var biasDescriptor = DNNLEngine.matrix(rows: 1, columns: outputs, type: dnnl_f32)
        var source: dnnl_memory_t?
        var destination: dnnl_memory_t?
        var biasMemory: dnnl_memory_t?
        var scratchMemory: dnnl_memory_t?
        defer {
            if let source { dnnl_memory_destroy(source) }
            if let destination { dnnl_memory_destroy(destination) }
            if let biasMemory { dnnl_memory_destroy(biasMemory) }
            if let scratchMemory { dnnl_memory_destroy(scratchMemory) }
        }
        guard dnnl_memory_create(&source, &sourceDescriptor, engine.handle, scratch) == dnnl_success,
            dnnl_memory_create(&destination, &destinationDescriptor, engine.handle, output) == dnnl_success,
            dnnl_memory_create(
                &scratchMemory, &primitive.scratchpad, engine.handle, scratchpad.memory(bytes: primitive.scratchpadBytes))
                == dnnl_success,
            let source, let destination, let scratchMemory
        else { return false }
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: source), dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: weights),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: destination),
            dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchMemory),
        ]
        if let bias {
            guard
                dnnl_memory_create(&biasMemory, &biasDescriptor, engine.handle, UnsafeMutableRawPointer(mutating: bias))
                    == dnnl_success, let biasMemory
            else { return false }
            arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_BIAS, memory: biasMemory))
        }
        // One thread per call: the encoder spreads work over cores itself (`MiniLMEncoder.embed`).
        _ = supportbot_omp_set_num_threads(1)
        return dnnl_primitive_execute(primitive.handle, stream, Int32(arguments.count), &arguments) == dnnl_success
            && dnnl_stream_wait(stream) == dnnl_success
    }

    /// The matmul primitive for `rows` rows, made on first use.
    private func primitive(rows: Int) -> Primitive? {
        if let cached = primitives.withLock({ $0[rows] }) { return cached }
        var source = DNNLEngine.matrix(rows: rows, columns: inputs, type: dnnl_bf16)
        var destination = DNNLEngine.matrix(rows: rows, columns: outputs, type: dnnl_f32)
        var biasDescriptor = DNNLEngine.matrix(rows: 1, columns: outputs, type: dnnl_f32)
        var operation = dnnl_matmul_desc_t()
        var attributes: dnnl_primitive_attr_t?
        var postOps: dnnl_post_ops_t?
        var plan: dnnl_primitive_desc_t?
        var primitive: dnnl_primitive_t?
        defer {
            if let plan { dnnl_primitive_desc_destroy(plan) }
            if let postOps { dnnl_post_ops_destroy(postOps) }
            if let attributes { dnnl_primitive_attr_destroy(attributes) }
        }
        guard dnnl_primitive_attr_create(&attributes) == dnnl_success, let attributes,
            dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user) == dnnl_success
        else { return nil }
        if appliesGELU {
            guard dnnl_post_ops_create(&postOps) == dnnl_success, let postOps,
                dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_gelu_erf, 0, 0) == dnnl_success,
                dnnl_primitive_attr_set_post_ops(attributes, postOps) == dnnl_success
            else { return nil }
        }
        let status = withUnsafeMutablePointer(to: &weightsDescriptor) { weightsPointer in
            bias == nil
                ? dnnl_matmul_desc_init(&operation, &source, weightsPointer, nil, &destination)
                : dnnl_matmul_desc_init(&operation, &source, weightsPointer, &biasDescriptor, &destination)
        }
        guard status == dnnl_success,
            dnnl_primitive_desc_create(&plan, &operation, attributes, engine.handle, nil) == dnnl_success,
            dnnl_primitive_create(&primitive, plan) == dnnl_success, let primitive
        else { return nil }
        guard let scratchpad = dnnl_primitive_desc_query_md(plan, dnnl_query_scratchpad_md, 0)?.pointee else {
            dnnl_primitive_destroy(primitive)
            return nil
        }
        var scratchpadDescriptor = scratchpad
        let made = Primitive(
            handle: primitive, scratchpad: scratchpad, scratchpadBytes: dnnl_memory_desc_get_size(&scratchpadDescriptor))
        return primitives.withLock { cache in
            if let raced = cache[rows] {
                dnnl_primitive_destroy(made.handle)
                return raced
            }
            cache[rows] = made
            return made
        }
    }
}

/// oneDNN's scratch memory for the primitives one thread runs, grown on demand (64-byte
/// aligned). Not shared between threads.
final class ScratchpadArena {
    private var pointer: UnsafeMutableRawPointer?
    private var capacity = 0

    init() {}

    deinit {
        pointer?.deallocate()
    }

    /// At least `bytes` bytes (a valid pointer even for 0), valid until the next call.
    func memory(bytes: Int) -> UnsafeMutableRawPointer {
        if let pointer, bytes <= capacity { return pointer }
        pointer?.deallocate()
        capacity = max(bytes, 4096, capacity * 2)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        pointer = fresh
        return fresh
    }
}

/// bfloat16: the top 16 bits of a float32 (8-bit exponent, 7-bit mantissa).
enum BFloat16 {
    /// Rounds `count` floats to the nearest bfloat16 (ties to even).
    static func round(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<UInt16>, count: Int) {
        UnsafeRawPointer(source).withMemoryRebound(to: UInt32.self, capacity: count) { bits in
            for index in 0..<count {
                let value = bits[index]
                destination[index] = UInt16(truncatingIfNeeded: (value &+ 0x7FFF &+ ((value >> 16) & 1)) >> 16)
            }
        }
    }

    /// The float32 value of a bfloat16.
    static func float(_ value: UInt16) -> Float {
        Float(bitPattern: UInt32(value) << 16)
    }
}
