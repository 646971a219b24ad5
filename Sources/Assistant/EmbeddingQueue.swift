import Dispatch
import Encoder
import Foundation
import Synchronization

/// Embeds the messages of concurrent conversations in shared batches, off the Swift concurrency
/// pool, on up to `workers` threads (one per core by default). A message that arrives while
/// fewer than `workers` batches are being encoded starts a worker at once (no timer, no added
/// latency); messages arriving while every worker is busy wait and go together into the next
/// batch, as in a database's group commit, so under load batches grow and throughput approaches
/// the encoder's batch throughput times the cores. The encoder's CPU work never blocks the
/// threads that serve connections (SwiftNIO's event loops have threads of their own).
public final class EmbeddingQueue: Sendable {
    private struct Waiting {
        var text: String
        var continuation: CheckedContinuation<[Float], Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var activeWorkers = 0
    }

    /// The encoder in use; its identity must match the classifier's and the index's.
    public let embedder: any TextEmbedder
    /// Batches encoded at once, at most.
    public let workers: Int
    private let maximumBatch: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "supportbot.embedding-queue", qos: .userInitiated, attributes: .concurrent)

    /// `maximumBatch` caps one encoder call (default 16: small enough that a message waits little
    /// for the batch ahead, large enough to keep the encoder's matrix units busy; bench/server); `workers` is how many batches are
    /// encoded in parallel (default: the machine's active cores).
    public init(embedder: any TextEmbedder, maximumBatch: Int = 16, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.embedder = embedder
        self.maximumBatch = max(maximumBatch, 1)
        self.workers = max(workers, 1)
    }

    /// The unit-length embedding of `text`.
    public func embed(_ text: String) async -> [Float] {
        await withCheckedContinuation { continuation in
            let start = state.withLock { state in
                state.waiting.append(Waiting(text: text, continuation: continuation))
                guard state.activeWorkers < workers else { return false }
                state.activeWorkers += 1
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    /// Encodes batches until nobody is waiting.
    private func drain() {
        while true {
            let batch: [Waiting] = state.withLock { state in
                let batch = Array(state.waiting.prefix(maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.activeWorkers -= 1 }
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
