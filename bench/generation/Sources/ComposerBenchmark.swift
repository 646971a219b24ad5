import Content
import Foundation
import Generation
import Retrieval

/// Per-answer latency of the grounded composer, with the lexical search for the same query as
/// the in-run peer.
struct ComposerBenchmark {
    let corpus: BenchCorpus
    let rounds: Int

    func run() {
        let composer = GroundedComposer()
        var composeMicros: [Double] = []
        var searchMicros: [Double] = []
        var characters = 0
        var twoSources = 0
        var trimmed = 0
        // Warm-up: one pass over all queries.
        for query in corpus.queries { _ = composer.compose(question: query.text, hits: query.hits) }
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            for query in corpus.queries {
                let searchStart = clock.now
                let result = corpus.index.search(query.text, limit: 3)
                searchMicros.append(micros(clock.now - searchStart))
                let start = clock.now
                let answer = composer.compose(question: query.text, hits: result.hits)
                composeMicros.append(micros(clock.now - start))
                characters += answer.text.count
                if answer.sources.count > 1 { twoSources += 1 }
                if let best = result.hits.first, answer.sources.count == 1, answer.text.count < best.entry.answer.count { trimmed += 1 }
            }
        }
        let answers = corpus.queries.count * rounds
        let p50 = percentile(composeMicros, 0.5)
        let peer50 = percentile(searchMicros, 0.5)
        print("## Grounded composer, \(corpus.queries.count) questions × \(rounds) rounds (\(answers) answers)")
        print()
        print("| step | p50 µs | p99 µs | mean µs |")
        print("| --- | --- | --- | --- |")
        print("| compose (GroundedComposer.compose) | \(format(p50)) | \(format(percentile(composeMicros, 0.99))) | \(format(composeMicros.reduce(0, +) / Double(answers))) |")
        print("| peer: lexical search for the same query | \(format(peer50)) | \(format(percentile(searchMicros, 0.99))) | \(format(searchMicros.reduce(0, +) / Double(answers))) |")
        print()
        print("compose p50 / search p50 = \(format(p50 / peer50, 2)); target compose p50 ≤ 200 µs: \(p50 <= 200 ? "met" : "MISSED")")
        print("answers: mean \(characters / answers) characters; \(format(100 * Double(trimmed) / Double(answers)))% trimmed; \(format(100 * Double(twoSources) / Double(answers)))% with a second entry")
    }

    private func micros(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }
}
