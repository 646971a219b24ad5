import Foundation

/// A 128-bit FNV-1a hash of a text's UTF-8 bytes: the stable key of cached embeddings and the
/// fingerprint of files, identical across processes and runs (unlike `Hasher`).
struct ContentHash: Hashable, Sendable {
    static let byteCount = 16
    private static let offsetBasis: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b

    let value: UInt128

    init(_ text: String) {
        var hash = Self.offsetBasis
        for byte in text.utf8 {
            hash ^= UInt128(byte)
            hash &*= Self.prime
        }
        value = hash
    }

    init<Bytes: Sequence>(hashing bytes: Bytes) where Bytes.Element == UInt8 {
        var hash = Self.offsetBasis
        for byte in bytes {
            hash ^= UInt128(byte)
            hash &*= Self.prime
        }
        value = hash
    }

    /// Reads the 16 little-endian bytes written by `append(to:)`.
    init(bytes: UnsafeRawBufferPointer) {
        var value: UInt128 = 0
        for (index, byte) in bytes.prefix(Self.byteCount).enumerated() {
            value |= UInt128(byte) << (8 * index)
        }
        self.value = value
    }

    func append(to data: inout Data) {
        for index in 0..<Self.byteCount { data.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    var hex: String {
        String(value, radix: 16)
    }
}
