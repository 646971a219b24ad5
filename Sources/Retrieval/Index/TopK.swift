/// Picks the k best-scoring items of a sequence in O(n log k) with a bounded min-heap, without
/// sorting everything: the dense retriever ranks every entry on every query.
enum TopK {
    /// Up to `count` items, best first; equal scores keep the smaller item first.
    static func select<Items: Sequence>(_ items: Items, count: Int, score: (Int) -> Double) -> [Int]
    where Items.Element == Int {
        guard count > 0 else { return [] }
        var heap: [(score: Double, item: Int)] = []
        heap.reserveCapacity(count)
        for item in items {
            let value = score(item)
            if heap.count < count {
                heap.append((value, item))
                siftUp(&heap, from: heap.count - 1)
            } else if isBetter((value, item), than: heap[0]) {
                heap[0] = (value, item)
                siftDown(&heap, from: 0)
            }
        }
        return heap.sorted { isBetter($0, than: $1) }.map(\.item)
    }

    /// Higher score wins; on a tie the smaller item wins.
    @inline(__always)
    static func isBetter(_ a: (score: Double, item: Int), than b: (score: Double, item: Int)) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }

    /// The heap keeps its worst element at the root.
    private static func siftUp(_ heap: inout [(score: Double, item: Int)], from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard isBetter(heap[parent], than: heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func siftDown(_ heap: inout [(score: Double, item: Int)], from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < heap.count && isBetter(heap[worst], than: heap[left]) { worst = left }
            if right < heap.count && isBetter(heap[worst], than: heap[right]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
