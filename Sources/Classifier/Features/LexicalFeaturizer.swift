import Foundation

/// Turns a text into the lexical feature vector: hashed word n-grams and character n-grams,
/// restricted to the n-grams seen in training (so the weight matrix only has rows that can be
/// non-zero), weighted by sublinear term frequency times inverse document frequency, and
/// L2-normalised per block so that long and short messages weigh the same.
struct LexicalFeaturizer: Sendable {
    let hasher: NGramHasher
    /// Hash buckets of the word block that have a feature, ascending; feature i is `wordBuckets[i]`.
    let wordBuckets: [UInt32]
    /// Hash buckets of the character block, ascending; feature `wordBuckets.count + i`.
    let charBuckets: [UInt32]
    /// Inverse document frequency per feature (word features first).
    let idf: [Float]
    private let wordIndex: [UInt32: Int32]
    private let charIndex: [UInt32: Int32]

    /// Number of features (rows of the sparse weight block).
    var featureCount: Int { idf.count }

    /// Builds the vocabulary and IDF from training texts, keeping n-grams found in at least
    /// `minimumCount` texts.
    init(fitting texts: [String], hasher: NGramHasher, minimumCount: Int = 1) {
        var wordFrequency: [UInt32: Int] = [:]
        var charFrequency: [UInt32: Int] = [:]
        for text in texts {
            let grams = hasher.grams(text)
            for bucket in Set(grams.words) { wordFrequency[bucket, default: 0] += 1 }
            for bucket in Set(grams.chars) { charFrequency[bucket, default: 0] += 1 }
        }
        let words = wordFrequency.filter { $0.value >= minimumCount }.keys.sorted()
        let chars = charFrequency.filter { $0.value >= minimumCount }.keys.sorted()
        let documents = Float(texts.count)
        let idf = (words.map { wordFrequency[$0] ?? 0 } + chars.map { charFrequency[$0] ?? 0 }).map {
            logf((1 + documents) / (1 + Float($0))) + 1
        }
        self.init(hasher: hasher, wordBuckets: words, charBuckets: chars, idf: idf)
    }

    /// Restores a fitted featurizer (from an artifact). `idf` must have one value per bucket.
    init(hasher: NGramHasher, wordBuckets: [UInt32], charBuckets: [UInt32], idf: [Float]) {
        self.hasher = hasher
        self.wordBuckets = wordBuckets
        self.charBuckets = charBuckets
        self.idf = idf
        var wordIndex: [UInt32: Int32] = [:]
        wordIndex.reserveCapacity(wordBuckets.count)
        for (i, bucket) in wordBuckets.enumerated() { wordIndex[bucket] = Int32(i) }
        var charIndex: [UInt32: Int32] = [:]
        charIndex.reserveCapacity(charBuckets.count)
        for (i, bucket) in charBuckets.enumerated() { charIndex[bucket] = Int32(wordBuckets.count + i) }
        self.wordIndex = wordIndex
        self.charIndex = charIndex
    }

    /// The feature vector of `text`; n-grams never seen in training are ignored.
    func vector(_ text: String) -> SparseVector {
        let grams = hasher.grams(text)
        var vector = SparseVector()
        vector.indices.reserveCapacity(grams.words.count + grams.chars.count)
        vector.values.reserveCapacity(grams.words.count + grams.chars.count)
        append(grams.words, through: wordIndex, to: &vector)
        append(grams.chars, through: charIndex, to: &vector)
        return vector
    }

    private func append(_ buckets: [UInt32], through index: [UInt32: Int32], to vector: inout SparseVector) {
        var counts: [Int32: Float] = [:]
        counts.reserveCapacity(buckets.count)
        for bucket in buckets {
            if let feature = index[bucket] { counts[feature, default: 0] += 1 }
        }
        guard !counts.isEmpty else { return }
        let start = vector.indices.count
        for feature in counts.keys.sorted() {
            let count = counts[feature] ?? 1
            vector.indices.append(feature)
            vector.values.append((1 + logf(count)) * idf[Int(feature)])
        }
        var norm: Float = 0
        for i in start..<vector.values.count { norm += vector.values[i] * vector.values[i] }
        let scale = 1 / norm.squareRoot()
        for i in start..<vector.values.count { vector.values[i] *= scale }
    }
}
