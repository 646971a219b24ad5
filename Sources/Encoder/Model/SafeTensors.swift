import Foundation

/// A memory-mapped `.safetensors` file: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the raw data. The whole header is
/// validated at load (ranges inside the file, sizes matching shapes, no overlaps or holes), so a
/// truncated or corrupt file fails here with a clear error rather than later as garbage vectors.
///
/// Buffers returned by `floats` point into the mapping and stay valid while this value (or a copy
/// of it) is alive.
public struct SafeTensors: Sendable {
    /// Element types the format defines.
    public enum DType: String, Sendable, CaseIterable {
        case f64 = "F64"
        case f32 = "F32"
        case f16 = "F16"
        case bf16 = "BF16"
        case i64 = "I64"
        case i32 = "I32"
        case i16 = "I16"
        case i8 = "I8"
        case u64 = "U64"
        case u32 = "U32"
        case u16 = "U16"
        case u8 = "U8"
        case bool = "BOOL"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .f64, .i64, .u64: 8
            case .f32, .i32, .u32: 4
            case .f16, .bf16, .i16, .u16: 2
            case .i8, .u8, .bool: 1
            }
        }
    }

    /// Where one tensor lives in the file.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        /// Byte range inside the data section (after the header).
        public let dataRange: Range<Int>
        /// Number of elements (product of `shape`).
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// Largest header accepted; the format's reference implementation uses the same bound.
    static let maximumHeaderSize = 100_000_000

    private let file: MappedFile
    private let dataStart: Int
    /// Tensors by name.
    public let tensors: [String: TensorInfo]
    /// The optional `__metadata__` string map.
    public let metadata: [String: String]

    /// Maps and validates the file at `url`.
    public init(contentsOf url: URL) throws(EncoderError) {
        let file = try MappedFile(url: url)
        let layout = try Self.layout(of: file.bytes, path: url.path)
        self.file = file
        self.dataStart = layout.dataStart
        self.tensors = layout.tensors
        self.metadata = layout.metadata
    }

    /// Validates the bytes of a whole `.safetensors` file (`path` names it in errors): where its
    /// data section starts, its tensors and metadata. Reads only `bytes`, so the fuzz targets can
    /// check a file held in memory.
    package static func layout(
        of bytes: UnsafeRawBufferPointer, path: String
    ) throws(EncoderError) -> (dataStart: Int, tensors: [String: TensorInfo], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw EncoderError(.truncated, "\(path) is \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for index in (0..<8).reversed() {
            headerLength = headerLength << 8 | UInt64(bytes[index])
        }
        guard headerLength > 0, headerLength <= UInt64(Self.maximumHeaderSize) else {
            throw EncoderError(.corruptHeader, "\(path) declares a header of \(headerLength) bytes")
        }
        let headerEnd = 8 + Int(headerLength)
        guard headerEnd <= bytes.count else {
            throw EncoderError(.truncated, "\(path) is \(bytes.count) bytes but its header needs \(headerEnd)")
        }
        let header = Data(bytes[8..<headerEnd])
        let parsed = try parseHeader(header, path: path, dataSize: bytes.count - headerEnd)
        return (headerEnd, parsed.tensors, parsed.metadata)
    }

    /// Tensor names, sorted.
    public var names: [String] { tensors.keys.sorted() }

    /// The elements of an `F32` tensor, checking dtype and (when given) shape.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws(EncoderError) -> UnsafeBufferPointer<Float> {
        guard let info = tensors[name] else {
            throw EncoderError(.missingTensor, "\(file.url.path) has no tensor \(name)")
        }
        guard info.dtype == .f32 else {
            throw EncoderError(.wrongDType, "tensor \(name) in \(file.url.path) is \(info.dtype.rawValue), expected F32")
        }
        if let expected, expected != info.shape {
            throw EncoderError(.wrongShape, "tensor \(name) in \(file.url.path) has shape \(info.shape), expected \(expected)")
        }
        let offset = dataStart + info.dataRange.lowerBound
        guard info.elementCount > 0, let base = file.base else {
            return UnsafeBufferPointer(start: nil, count: 0)
        }
        guard offset % MemoryLayout<Float>.alignment == 0 else {
            throw EncoderError(.corruptHeader, "tensor \(name) in \(file.url.path) starts at unaligned offset \(offset)")
        }
        let start = (base + offset).assumingMemoryBound(to: Float.self)
        return UnsafeBufferPointer(start: start, count: info.elementCount)
    }

    /// The raw bytes of the whole file, e.g. to hash it.
    public var fileBytes: UnsafeRawBufferPointer { file.bytes }

    private static func parseHeader(
        _ header: Data, path: String, dataSize: Int
    ) throws(EncoderError) -> (tensors: [String: TensorInfo], metadata: [String: String]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw EncoderError(.corruptHeader, "\(path): header is not valid JSON (\(error))")
        }
        guard let entries = object as? [String: Any] else {
            throw EncoderError(.corruptHeader, "\(path): header is not a JSON object")
        }
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else {
                    throw EncoderError(.corruptHeader, "\(path): __metadata__ is not a string map")
                }
                metadata = map
                continue
            }
            tensors[name] = try parseEntry(name: name, value: value, path: path, dataSize: dataSize)
        }
        try checkCoverage(Array(tensors.values), path: path, dataSize: dataSize)
        return (tensors, metadata)
    }

    private static func parseEntry(name: String, value: Any, path: String, dataSize: Int) throws(EncoderError) -> TensorInfo {
        guard let fields = value as? [String: Any],
            let dtypeName = fields["dtype"] as? String,
            let shape = integers(fields["shape"]),
            let offsets = integers(fields["data_offsets"]), offsets.count == 2
        else {
            throw EncoderError(.corruptHeader, "\(path): entry \(name) lacks a valid dtype, shape or data_offsets")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw EncoderError(.wrongDType, "\(path): tensor \(name) has unknown dtype \(dtypeName)")
        }
        guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw EncoderError(.corruptHeader, "\(path): tensor \(name) has negative or reversed shape/offsets")
        }
        guard offsets[1] <= dataSize else {
            throw EncoderError(
                .truncated, "\(path): tensor \(name) ends at data byte \(offsets[1]) but the file has only \(dataSize) data bytes")
        }
        var expected = dtype.size
        for dimension in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw EncoderError(.corruptHeader, "\(path): tensor \(name) shape \(shape) overflows")
            }
            expected = product
        }
        guard offsets[1] - offsets[0] == expected else {
            throw EncoderError(
                .corruptHeader,
                "\(path): tensor \(name) spans \(offsets[1] - offsets[0]) bytes, but \(dtypeName) \(shape) needs \(expected)")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataRange: offsets[0]..<offsets[1])
    }

    /// The format requires the tensors to tile the data section exactly: no overlap, no hole.
    private static func checkCoverage(_ infos: [TensorInfo], path: String, dataSize: Int) throws(EncoderError) {
        var position = 0
        for info in infos.sorted(by: {
            ($0.dataRange.lowerBound, $0.dataRange.upperBound) < ($1.dataRange.lowerBound, $1.dataRange.upperBound)
        }) {
            guard info.dataRange.lowerBound == position else {
                let problem = info.dataRange.lowerBound < position ? "overlaps the previous tensor" : "leaves a gap before it"
                throw EncoderError(
                    .corruptHeader,
                    "\(path): tensor \(info.name) \(problem) (starts at \(info.dataRange.lowerBound), expected \(position))")
            }
            position = info.dataRange.upperBound
        }
        guard position == dataSize else {
            throw EncoderError(.corruptHeader, "\(path): tensors cover \(position) data bytes but the file has \(dataSize)")
        }
    }

    /// JSON integers as `[Int]`; nil when any element is not an exact integer.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let number = element as? NSNumber else { return nil }
            let integer = number.intValue
            guard NSNumber(value: integer) == number else { return nil }
            result.append(integer)
        }
        return result
    }
}
