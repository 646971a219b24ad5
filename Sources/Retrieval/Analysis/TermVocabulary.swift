/// Analyzed term → id, append-only. A knowledge base keeps one for the life of the process so
/// prepared entries hold term ids and an index is rebuilt from ids without hashing every term of
/// every entry again. Terms of deleted entries keep their ids (their document frequency is 0).
struct TermVocabulary: Sendable {
    private(set) var ids: [String: Int32] = [:]

    var count: Int { ids.count }

    /// The term's id, assigning the next one to a new term.
    mutating func id(for term: String) -> Int32 {
        if let id = ids[term] { return id }
        let id = Int32(ids.count)
        ids[term] = id
        return id
    }
}
