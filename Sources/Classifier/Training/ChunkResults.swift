import Synchronization

/// Collects per-chunk results written from concurrent workers, each into its own slot.
final class ChunkResults: Sendable {
    private let slots: Mutex<[[[Float]]]>

    init(count: Int) {
        slots = Mutex(Array(repeating: [], count: count))
    }

    func store(_ vectors: [[Float]], at index: Int) {
        slots.withLock { $0[index] = vectors }
    }

    /// All chunks' vectors in chunk order.
    func joined() -> [[Float]] {
        slots.withLock { $0.flatMap { $0 } }
    }
}
