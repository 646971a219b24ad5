import Dispatch
import Encoder

/// Embeds many texts for training, using every core: the texts are cut into fixed-size chunks
/// (independent of the core count, so results are the same on any machine) that run
/// concurrently on a thread-safe embedder.
enum EmbeddingBatcher {
    /// Texts per chunk.
    static let chunkSize = 256

    /// One embedding per text; throws when the embedder returns the wrong number or size.
    static func embed(_ texts: [String], with embedder: any TextEmbedder) throws(ClassifierError) -> [[Float]] {
        let chunks = stride(from: 0, to: texts.count, by: chunkSize).map { $0..<min($0 + chunkSize, texts.count) }
        let results = ChunkResults(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            results.store(embedder.embed(Array(texts[chunks[index]])), at: index)
        }
        let embeddings = results.joined()
        guard embeddings.count == texts.count else {
            throw ClassifierError(
                .embedderMismatch, "encoder \(embedder.identity) returned \(embeddings.count) vectors for \(texts.count) texts")
        }
        if let wrong = embeddings.first(where: { $0.count != embedder.dimension }) {
            throw ClassifierError(
                .embedderMismatch,
                "encoder \(embedder.identity) returned a \(wrong.count)-dimensional vector; it declares \(embedder.dimension)")
        }
        return embeddings
    }
}
