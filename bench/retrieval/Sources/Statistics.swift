import Foundation

/// Ranking metrics and latency percentiles.
enum Statistics {
    /// MRR@10, P@1 and Recall@5 (the share of relevant ids in the top 5, averaged over queries).
    struct Quality: Codable {
        var mrr = 0.0
        var precisionAt1 = 0.0
        var recallAt5 = 0.0
        var queries = 0

        var row: String {
            String(format: "%.3f | %.3f | %.3f", mrr, precisionAt1, recallAt5)
        }
    }

    static func quality(rankings: [[String]], relevant: [Set<String>]) -> Quality {
        var result = Quality()
        for (ranking, wanted) in zip(rankings, relevant) where !wanted.isEmpty {
            result.queries += 1
            if let rank = ranking.prefix(10).firstIndex(where: wanted.contains) { result.mrr += 1 / Double(rank + 1) }
            if let first = ranking.first, wanted.contains(first) { result.precisionAt1 += 1 }
            result.recallAt5 += Double(ranking.prefix(5).filter(wanted.contains).count) / Double(wanted.count)
        }
        let n = Double(max(result.queries, 1))
        result.mrr /= n
        result.precisionAt1 /= n
        result.recallAt5 /= n
        return result
    }

    /// The p-th percentile (0...100) of durations in milliseconds, nearest rank.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// Stable 50/50 split of queries into tuning ("dev") and held-out ("test") halves.
    static func isHeldOut(_ text: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash % 2 == 1
    }
}
