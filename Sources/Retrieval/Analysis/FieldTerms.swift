/// One field of one entry as BM25 reads it: its distinct term ids in ascending order, how often
/// each occurs, and the field's length in terms.
struct FieldTerms: Sendable, Hashable {
    var terms: [Int32] = []
    var frequencies: [Float] = []
    var length = 0

    /// Counts the ids of a field's terms (in text order, repeats included).
    init(_ ids: [Int32]) {
        length = ids.count
        for id in ids.sorted() {
            if id == terms.last {
                frequencies[frequencies.count - 1] += 1
            } else {
                terms.append(id)
                frequencies.append(1)
            }
        }
    }
}
