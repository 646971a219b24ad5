/// A sparse feature vector: parallel arrays of feature indices and values.
struct SparseVector: Sendable, Hashable {
    var indices: [Int32] = []
    var values: [Float] = []

    var isEmpty: Bool { indices.isEmpty }
}
