import Dispatch
import Encoder
import Synchronization

/// Embeds the messages of concurrent conversations in shared batches, off the Swift concurrency
/// pool. The first message starts a worker on its own dispatch queue; messages arriving while a
/// batch is being encoded wait and go together into the next one, as in a database's group
/// commit. A lone message is encoded at once (no timer, no added latency); under load batches
/// grow and throughput approaches the encoder's batch throughput. The encoder's CPU work never
/// blocks the threads that serve connections.
public final class EmbeddingQueue: Sendable {
    private struct Waiting {
        var text: String
        var continuation: CheckedContinuation<[Float], Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var working = false
    }

    /// The encoder in use; its identity must match the classifier's and the index's.
    public let embedder: any TextEmbedder
    private let maximumBatch: Int
    private let state = Mutex(State())
    private let worker = DispatchQueue(label: "supportbot.embedding-queue", qos: .userInitiated)

    /// `maximumBatch` caps one encoder call (default 64).
    public init(embedder: any TextEmbedder, maximumBatch: Int = 64) {
        self.embedder = embedder
        self.maximumBatch = max(maximumBatch, 1)
    }

    /// The unit-length embedding of `text`.
    public func embed(_ text: String) async -> [Float] {
        await withCheckedContinuation { continuation in
            let start = state.withLock { state in
                state.waiting.append(Waiting(text: text, continuation: continuation))
                guard !state.working else { return false }
                state.working = true
                return true
            }
            if start { worker.async { self.drain() } }
        }
    }

    /// Encodes batches until nobody is waiting.
    private func drain() {
        while true {
            let batch: [Waiting] = state.withLock { state in
                let batch = Array(state.waiting.prefix(maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.working = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let vectors = embedder.embed(batch.map(\.text))
            for (index, waiting) in batch.enumerated() {
                waiting.continuation.resume(returning: index < vectors.count ? vectors[index] : [])
            }
        }
    }
}
