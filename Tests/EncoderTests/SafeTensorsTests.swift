import Encoder
import Foundation
import TestSupport
import Testing

struct SafeTensorsTests {
    /// A valid two-tensor file: "a" F32 [2, 3] = 0...5, "b" I64 [2].
    static func validParts() throws -> (header: [String: Any], data: Data) {
        var data = SafeTensorsBytes.floats((0..<6).map(Float.init))
        data.append(Data(count: 16))
        let header: [String: Any] = [
            "__metadata__": ["format": "pt"],
            "a": ["dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]],
            "b": ["dtype": "I64", "shape": [2], "data_offsets": [24, 40]],
        ]
        return (header, data)
    }

    @Test func readsTensorsInPlace() throws {
        // Given a valid file
        let directory = try TemporaryDirectory()
        let parts = try Self.validParts()
        try SafeTensorsBytes.file(header: SafeTensorsBytes.header(parts.header), data: parts.data).write(
            to: directory.file("m.safetensors"))
        // When it is loaded
        let tensors = try SafeTensors(contentsOf: directory.file("m.safetensors"))
        // Then names, metadata, shapes and values come back
        #expect(tensors.names == ["a", "b"])
        #expect(tensors.metadata == ["format": "pt"])
        #expect(tensors.tensors["b"]?.dtype == .i64)
        #expect(Array(try tensors.floats("a", shape: [2, 3])) == [0, 1, 2, 3, 4, 5])
        #expect(throws: EncoderError.self) { try tensors.floats("a", shape: [3, 2]) }
        #expect(throws: EncoderError.self) { try tensors.floats("b") }
        #expect(throws: EncoderError.self) { try tensors.floats("c") }
    }

    enum Corruption: String, CaseIterable {
        case empty, shortLength, headerPastEnd, notJSON, jsonArray, unknownDType, sizeMismatch
        case dataPastEnd, overlap, gap, trailingBytes, negativeShape, fractionalOffset
    }

    static func corrupt(_ corruption: Corruption) throws -> (bytes: Data, code: EncoderError.Code) {
        var (header, data) = try validParts()
        func entry(_ name: String, _ key: String, _ value: Any) {
            var fields = header[name] as? [String: Any] ?? [:]
            fields[key] = value
            header[name] = fields
        }
        switch corruption {
        case .empty: return (Data(), .truncated)
        case .shortLength: return (Data([8, 0, 0, 0]), .truncated)
        case .headerPastEnd:
            let good = SafeTensorsBytes.file(header: try SafeTensorsBytes.header(header), data: data)
            return (good.prefix(20), .truncated)
        case .notJSON: return (SafeTensorsBytes.file(header: Data("{\"a\": [1, 2".utf8), data: data), .corruptHeader)
        case .jsonArray: return (SafeTensorsBytes.file(header: Data("[1, 2, 3]".utf8), data: data), .corruptHeader)
        case .unknownDType: entry("a", "dtype", "F12")
        case .sizeMismatch: entry("a", "shape", [2, 2])
        case .dataPastEnd: data = data.prefix(30)
        case .overlap: entry("b", "data_offsets", [16, 32])
        case .gap:
            data.append(Data(count: 8))
            entry("b", "data_offsets", [32, 48])
        case .trailingBytes: data.append(Data(count: 8))
        case .negativeShape: entry("a", "shape", [-2, -3])
        case .fractionalOffset: entry("a", "data_offsets", [0, 23.5])
        }
        let code: EncoderError.Code =
            switch corruption {
            case .unknownDType: .wrongDType
            case .dataPastEnd: .truncated
            default: .corruptHeader
            }
        return (SafeTensorsBytes.file(header: try SafeTensorsBytes.header(header), data: data), code)
    }

    @Test(arguments: Corruption.allCases)
    func rejectsCorruptFile(_ corruption: Corruption) throws {
        // Given a file broken in one specific way
        let directory = try TemporaryDirectory()
        let (bytes, code) = try Self.corrupt(corruption)
        try bytes.write(to: directory.file("bad.safetensors"))
        // When it is loaded, then it fails with the matching error code
        let error = #expect(throws: EncoderError.self) { try SafeTensors(contentsOf: directory.file("bad.safetensors")) }
        #expect(error?.code == code, "\(corruption): \(String(describing: error))")
    }

    @Test func missingFileSaysSo() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: EncoderError.self) { try SafeTensors(contentsOf: directory.file("absent.safetensors")) }
        #expect(error?.code == .fileNotFound)
        #expect(error?.description.contains("absent.safetensors") == true)
    }
}
