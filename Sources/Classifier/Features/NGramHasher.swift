/// Maps a text to hashed word n-grams and character n-grams (the lexical half of the
/// classifier's features). Character n-grams are taken inside each word padded with boundary
/// marks (`<pay>` → `<pa`, `pay`, `ay>`, …), so they capture stems, typos and inflections, while
/// word n-grams capture short phrases. Hashing keeps memory bounded however large the content.
struct NGramHasher: Sendable, Hashable {
    /// Size of the hash space of each block.
    var buckets: UInt32
    /// Word n-gram orders, e.g. 1...2.
    var wordOrders: ClosedRange<Int>
    /// Character n-gram orders, e.g. 3...5.
    var charOrders: ClosedRange<Int>

    /// The hashed n-grams of one text, one entry per occurrence.
    struct Grams {
        var words: [UInt32] = []
        var chars: [UInt32] = []
    }

    private static let wordSeed: UInt64 = 0x1234_5678_9ABC_DEF1
    private static let charSeed: UInt64 = 0x0FED_CBA9_8765_4321
    private static let boundary: UInt32 = 0x3C
    private static let boundaryEnd: UInt32 = 0x3E

    func grams(_ text: String) -> Grams {
        let words = TextNormalizer.words(text)
        var grams = Grams()
        grams.words.reserveCapacity(words.count * wordOrders.count)
        let wordHashes = words.map { Self.hash($0[...], seed: Self.wordSeed) }
        for order in wordOrders where order >= 1 {
            guard wordHashes.count >= order else { break }
            for start in 0...(wordHashes.count - order) {
                var combined = UInt64(truncatingIfNeeded: order) &* 0x9E37_79B9_7F4A_7C15
                for hash in wordHashes[start..<(start + order)] {
                    combined = Self.mix(combined ^ hash)
                }
                grams.words.append(bucket(combined))
            }
        }
        var padded: [UInt32] = []
        for word in words {
            padded.removeAll(keepingCapacity: true)
            padded.append(Self.boundary)
            padded.append(contentsOf: word)
            padded.append(Self.boundaryEnd)
            for order in charOrders where order >= 1 && padded.count >= order {
                for start in 0...(padded.count - order) {
                    grams.chars.append(bucket(Self.hash(padded[start..<(start + order)], seed: Self.charSeed)))
                }
            }
        }
        return grams
    }

    private func bucket(_ hash: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: hash % UInt64(max(buckets, 1)))
    }

    /// FNV-1a over scalar values, then a finaliser so that nearby inputs spread over all buckets.
    private static func hash(_ scalars: ArraySlice<UInt32>, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for scalar in scalars {
            hash = (hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3
        }
        return mix(hash)
    }

    /// The MurmurHash3 64-bit finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return z ^ (z >> 33)
    }
}
