/// Exact, code point by code point, lookup of vocabulary pieces. Swift `String` keys compare by
/// canonical equivalence, which would match a precomposed vocabulary entry (say a Hangul
/// syllable) against decomposed input; the reference tokenizer compares code points exactly.
/// Open addressing over one pool of scalars, so lookups allocate nothing.
struct VocabularyTable: Sendable {
    private struct Entry: Sendable {
        let start: Int32
        let count: Int32
        let id: Int32
    }

    private var pool: [UInt32] = []
    private var entries: [Entry] = []
    /// Entry index + 1 per slot; 0 marks an empty slot.
    private var slots: [Int32]
    private let mask: Int

    /// Builds the table; when two pieces are identical the later one wins.
    init(_ pieces: [(scalars: [UInt32], id: Int32)]) {
        var capacity = 16
        while capacity < pieces.count * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        entries.reserveCapacity(pieces.count)
        for piece in pieces {
            insert(piece.scalars, id: piece.id)
        }
    }

    /// The id of the piece made of exactly these scalars.
    func lookup(_ scalars: ArraySlice<Unicode.Scalar>) -> Int32? {
        var slot = Self.hash(scalars.lazy.map(\.value)) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { return nil }
            let entry = entries[Int(stored) - 1]
            if Int(entry.count) == scalars.count, matches(entry, scalars) { return entry.id }
            slot = (slot + 1) & mask
        }
    }

    private func matches(_ entry: Entry, _ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var position = Int(entry.start)
        for scalar in scalars {
            if pool[position] != scalar.value { return false }
            position += 1
        }
        return true
    }

    private mutating func insert(_ scalars: [UInt32], id: Int32) {
        var slot = Self.hash(scalars) & mask
        while slots[slot] != 0 {
            let existing = entries[Int(slots[slot]) - 1]
            let start = Int(existing.start)
            if Int(existing.count) == scalars.count, pool[start..<start + scalars.count].elementsEqual(scalars) {
                entries[Int(slots[slot]) - 1] = Entry(start: existing.start, count: existing.count, id: id)
                return
            }
            slot = (slot + 1) & mask
        }
        entries.append(Entry(start: Int32(pool.count), count: Int32(scalars.count), id: id))
        pool.append(contentsOf: scalars)
        slots[slot] = Int32(entries.count)
    }

    /// FNV-1a over the scalar values.
    private static func hash<S: Sequence>(_ values: S) -> Int where S.Element == UInt32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in values {
            hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
