/// Appends little-endian binary fields to a byte buffer; the artifact encoder's building block.
struct ByteWriter: Sendable {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: UInt8) { bytes.append(value) }

    mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func append(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func append(_ value: Int) { append(UInt64(bitPattern: Int64(value))) }
    mutating func append(_ value: Double) { append(value.bitPattern) }
    mutating func append(_ value: Float) { append(value.bitPattern) }
    mutating func append(_ value: Bool) { append(UInt8(value ? 1 : 0)) }

    /// Length-prefixed UTF-8.
    mutating func append(_ value: String) {
        let utf8 = Array(value.utf8)
        append(UInt32(clamping: utf8.count))
        bytes += utf8
    }

    mutating func append(_ value: String?) {
        append(value != nil)
        if let value { append(value) }
    }

    mutating func append(_ values: [String]) {
        append(UInt32(clamping: values.count))
        for value in values { append(value) }
    }

    mutating func append(_ values: [UInt32]) {
        append(UInt64(values.count))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { append(value) }
    }

    mutating func append(_ values: [Float]) {
        append(UInt64(values.count))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { append(value.bitPattern) }
    }

    mutating func append(raw: [UInt8]) { bytes += raw }
}
