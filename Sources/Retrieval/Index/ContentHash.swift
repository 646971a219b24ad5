import Foundation

/// A 128-bit FNV-1a-style hash of a text's UTF-8 bytes (or a file's): the stable key of cached embeddings and the
/// fingerprint of files, identical across processes and runs (unlike `Hasher`).
struct ContentHash: Hashable, Sendable {
    static let byteCount = 16
    private static let offsetBasis: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
    private static let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b

    let value: UInt128

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ContentHash(bytes: $0) }
    }

    init(_ data: Data) {
        self = data.withUnsafeBytes { ContentHash(bytes: $0.bindMemory(to: UInt8.self)) }
    }

    /// FNV-1a over 64-bit little-endian words (then the remaining bytes one by one), so a file
    /// hashes at memory speed rather than one 128-bit multiply per byte.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        var hash = Self.offsetBasis
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                hash ^= UInt128(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                hash &*= Self.prime
                index += 8
            }
        }
        while index < bytes.count {
            hash ^= UInt128(bytes[index])
            hash &*= Self.prime
            index += 1
        }
        hash ^= UInt128(bytes.count)
        hash &*= Self.prime
        value = hash
    }

    /// Reads the 16 little-endian bytes written by `append(to:)`.
    init(stored bytes: UnsafeRawBufferPointer) {
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
