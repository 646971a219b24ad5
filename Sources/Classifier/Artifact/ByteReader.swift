/// Reads the fields `ByteWriter` wrote, checking every length against the bytes left so a
/// damaged artifact fails with an error naming the field instead of crashing.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = min(end ?? bytes.count, bytes.count)
    }

    var remaining: Int { end - offset }

    private mutating func take(_ count: Int, _ field: String) throws(ClassifierError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw ClassifierError(.corrupt, "field `\(field)` at byte \(offset) needs \(count) bytes, \(remaining) left")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func uint8(_ field: String) throws(ClassifierError) -> UInt8 {
        try take(1, field).first ?? 0
    }

    mutating func uint32(_ field: String) throws(ClassifierError) -> UInt32 {
        try take(4, field).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64(_ field: String) throws(ClassifierError) -> UInt64 {
        try take(8, field).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func int(_ field: String) throws(ClassifierError) -> Int {
        Int(truncatingIfNeeded: Int64(bitPattern: try uint64(field)))
    }

    mutating func double(_ field: String) throws(ClassifierError) -> Double {
        Double(bitPattern: try uint64(field))
    }

    mutating func bool(_ field: String) throws(ClassifierError) -> Bool {
        switch try uint8(field) {
        case 0: return false
        case 1: return true
        case let other: throw ClassifierError(.corrupt, "field `\(field)` has flag value \(other), expected 0 or 1")
        }
    }

    mutating func string(_ field: String) throws(ClassifierError) -> String {
        let count = Int(try uint32(field))
        let slice = try take(count, field)
        guard let value = String(validating: slice, as: UTF8.self) else {
            throw ClassifierError(.corrupt, "field `\(field)` is not valid UTF-8")
        }
        return value
    }

    mutating func optionalString(_ field: String) throws(ClassifierError) -> String? {
        try bool(field) ? try string(field) : nil
    }

    mutating func strings(_ field: String) throws(ClassifierError) -> [String] {
        let count = Int(try uint32(field))
        guard count <= remaining / 4 else {
            throw ClassifierError(.corrupt, "field `\(field)` claims \(count) strings, more than the bytes left")
        }
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try string(field)) }
        return values
    }

    mutating func uint32s(_ field: String) throws(ClassifierError) -> [UInt32] {
        let slice = try words(field)
        return stride(from: slice.startIndex, to: slice.endIndex, by: 4).map { i in
            UInt32(slice[i]) | UInt32(slice[i + 1]) << 8 | UInt32(slice[i + 2]) << 16 | UInt32(slice[i + 3]) << 24
        }
    }

    mutating func floats(_ field: String) throws(ClassifierError) -> [Float] {
        let slice = try words(field)
        return stride(from: slice.startIndex, to: slice.endIndex, by: 4).map { i in
            Float(
                bitPattern: UInt32(slice[i]) | UInt32(slice[i + 1]) << 8 | UInt32(slice[i + 2]) << 16 | UInt32(slice[i + 3]) << 24)
        }
    }

    /// A count-prefixed run of 4-byte values.
    private mutating func words(_ field: String) throws(ClassifierError) -> ArraySlice<UInt8> {
        let count = try uint64(field)
        guard count <= UInt64(remaining / 4) else {
            throw ClassifierError(.corrupt, "field `\(field)` claims \(count) values, more than the bytes left")
        }
        return try take(Int(count) * 4, field)
    }
}
