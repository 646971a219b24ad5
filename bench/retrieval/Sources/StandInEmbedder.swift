import Encoder

/// Entry vectors for corpora too large to embed in a bench run (100k entries ≈ 300k texts): each
/// text gets a real MiniLM vector from a pool of pool texts, chosen by the text's hash, plus
/// deterministic noise, renormalised. Dense search does the same work whatever the values, so
/// latency and reload figures stay honest; retrieval quality is not measured with these.
final class StandInEmbedder: TextEmbedder {
    let dimension: Int
    let identity: String
    private let pool: [[Float]]

    init(real: any TextEmbedder, poolTexts: [String]) {
        dimension = real.dimension
        identity = "stand-in(\(real.identity))"
        pool = real.embed(poolTexts)
    }

    func embed(_ texts: [String]) -> [[Float]] {
        texts.map { text in
            var random = SplitMix64(
                seed: UInt64(
                    truncatingIfNeeded: text.utf8.reduce(14_695_981_039_346_656_037 as UInt64) {
                        ($0 ^ UInt64($1)) &* 1_099_511_628_211
                    }))
            let base = pool[Int(random.next() % UInt64(pool.count))]
            var vector = base.map { $0 + Float(Int(random.next() % 2001) - 1000) * 0.00005 }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for index in vector.indices { vector[index] /= norm }
            return vector
        }
    }
}
