import Content
import Foundation
import Retrieval

/// The sample FAQ folder with a lexical index, and every question and alternate as a query
/// with its top-3 hits.
struct BenchCorpus {
    struct Query {
        var text: String
        var hits: [FAQHit]
    }

    let index: FAQIndex
    let queries: [Query]

    struct EmptyCorpus: Error, CustomStringConvertible {
        let directory: String
        var description: String { "no FAQ entries in \(directory)" }
    }

    init(directory: URL) throws {
        let loaded = FAQLoader(directory: directory).load()
        guard !loaded.entries.isEmpty else { throw EmptyCorpus(directory: directory.path) }
        let index = FAQIndex(entries: loaded.entries, embedder: nil, embeddingCache: nil, configuration: RetrievalConfiguration())
        let texts = loaded.entries.flatMap { [$0.question] + $0.alternates }
        self.index = index
        self.queries = texts.map { Query(text: $0, hits: index.search($0, limit: 3).hits) }.filter { !$0.hits.isEmpty }
    }
}

/// Percentiles of a sample, in the sample's unit.
func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let position = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[position]
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}
