import Foundation

/// Builds safetensors files byte by byte, so tests can make valid and deliberately broken ones.
enum SafeTensorsBytes {
    /// The 8-byte little-endian length, the header (space-padded to a multiple of 8), the data.
    static func file(header: Data, data: Data) -> Data {
        var header = header
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var bytes = Data()
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(header)
        bytes.append(data)
        return bytes
    }

    static func header(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func floats(_ values: [Float]) -> Data {
        values.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// Splits a safetensors file into its parsed header and its data section.
    static func split(_ file: Data) throws -> (header: [String: Any], data: Data) {
        let length = file.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let headerData = file.subdata(in: 8..<(8 + length))
        let header = try JSONSerialization.jsonObject(with: headerData) as? [String: Any] ?? [:]
        return (header, file.subdata(in: (8 + length)..<file.count))
    }
}
