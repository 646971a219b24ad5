import CDNNL

/// A oneDNN CPU engine: what primitives and memory objects are made for. Thread-safe; one per
/// encoder.
final class DNNLEngine: @unchecked Sendable {
    let handle: dnnl_engine_t

    init() throws(EncoderError) {
        var engine: dnnl_engine_t?
        guard dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else {
            throw EncoderError(.precisionUnavailable, "oneDNN could not create a CPU engine")
        }
        handle = engine
    }

    deinit {
        dnnl_engine_destroy(handle)
    }

    /// A stream to run primitives on. Streams are not shared between threads: each forward-pass
    /// workspace has its own.
    func makeStream() -> dnnl_stream_t? {
        var stream: dnnl_stream_t?
        guard dnnl_stream_create(&stream, handle, dnnl_stream_default_flags.rawValue) == dnnl_success else { return nil }
        return stream
    }

    /// A plain row-major (`ab`) or column-major (`ba`) 2-D memory descriptor.
    static func matrix(rows: Int, columns: Int, type: dnnl_data_type_t, columnMajor: Bool = false) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        var dims = dims2(rows, columns)
        withUnsafeMutablePointer(to: &dims) { pointer in
            pointer.withMemoryRebound(to: dnnl_dim_t.self, capacity: 2) { raw in
                _ = dnnl_memory_desc_init_by_tag(&descriptor, 2, raw, type, columnMajor ? dnnl_ba : dnnl_ab)
            }
        }
        return descriptor
    }

    /// A 2-D descriptor whose layout oneDNN picks (`any`), for weights.
    static func anyLayout(rows: Int, columns: Int, type: dnnl_data_type_t) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        var dims = dims2(rows, columns)
        withUnsafeMutablePointer(to: &dims) { pointer in
            pointer.withMemoryRebound(to: dnnl_dim_t.self, capacity: 2) { raw in
                _ = dnnl_memory_desc_init_by_tag(&descriptor, 2, raw, type, dnnl_format_tag_any)
            }
        }
        return descriptor
    }

    private static func dims2(_ rows: Int, _ columns: Int) -> (dnnl_dim_t, dnnl_dim_t) {
        (dnnl_dim_t(rows), dnnl_dim_t(columns))
    }
}
