/// Builds the message for an unknown key, suggesting the allowed key a typo most likely meant,
/// so that `exmaples:` is reported as "did you mean `examples`?" instead of being ignored.
enum KeySuggestion {
    /// `noun` is what the key is called where it was written: "key", or "column" in CSV.
    static func unknownKeyMessage(_ key: String, allowed: [String], in what: String, noun: String = "key") -> String {
        let list = allowed.map { "`\($0)`" }.joined(separator: ", ")
        var message = "unknown \(noun) `\(key)` in \(what) (allowed: \(list))"
        if let guess = closest(to: key, among: allowed) {
            message += "; did you mean `\(guess)`?"
        }
        return message
    }

    /// The allowed word within edit distance 2 (or 1 for short words) of `word`, if any.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        let scored = candidates.map { ($0, distance(Array(lowered), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = best.0.count <= 4 ? 1 : 2
        return best.1 <= limit ? best.0 : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring characters each cost 1.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
